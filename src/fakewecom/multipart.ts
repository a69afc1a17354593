/**
 * Just enough multipart/form-data parsing for the fake WeCom's upload endpoints: the file WeCom expects in the
 * field named "media" ([D:90253] "使用multipart/form-data POST上传文件, 文件标识名为media").
 */
export interface UploadedFile {
  name: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** The parts of a multipart body that carry a filename; an empty list when the body is not multipart. */
export function parseMultipart(contentType: string, body: Buffer): UploadedFile[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const files: UploadedFile[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // A part is: CRLF, headers, CRLF CRLF, data, CRLF (before the next delimiter).
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
      if (name !== undefined && filename !== undefined) {
        files.push({ name, filename, contentType: type.trim(), data: Buffer.from(part.subarray(split + 4)) });
      }
    }
    start = next;
  }
  return files;
}
