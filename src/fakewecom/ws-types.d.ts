/**
 * The part of `ws` (a dependency of `@wecom/aibot-node-sdk`) that the fake WeCom's long-connection server uses,
 * typed here because the package ships no types of its own.
 */
declare module 'ws' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage } from 'node:http';
  import type { Duplex } from 'node:stream';

  export type RawData = Buffer | ArrayBuffer | Buffer[];
  export interface ClientOptions {
    [option: string]: unknown;
  }
  export class WebSocket extends EventEmitter {
    static readonly OPEN: number;
    readonly readyState: number;
    send(data: string, done?: (err?: Error) => void): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    on(event: 'message', listener: (data: RawData) => void): this;
    on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(options: { noServer: true });
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: WebSocket) => void): void;
    close(): void;
  }
}
