/**
 * HTTP requests with the path sent byte for byte as given (fetch and URL normalise `./`, `../`, `//` and case of
 * percent-escapes away, which is exactly what a hostile client does not do).
 */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RawRequest {
  method: string;
  /** Path and query exactly as they go on the request line. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Send one request to `base` (http://host:port) without any normalisation of the path; a fresh connection. */
export function rawRequest(base: string, req: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: hostname,
        port,
        method: req.method,
        path: req.path,
        // Content-Length always stated: Node sends a DELETE's or GET's body without one otherwise.
        headers: {
          connection: 'close',
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
          ...req.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}
