/**
 * Starts one real redis-server for the whole test run (no persistence, loopback, a free port) and stops it at
 * the end. Tests reach it through `inject('redisUrl')`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * A port nobody listens on, picked at random below the kernel's ephemeral range (32768 and up). A port the kernel
 * hands out for listen(0) is also what it hands out as the local end of outgoing connections, and the suite opens
 * hundreds of those in parallel: one of them could take the port before the test's server binds it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const srv = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!ok) continue;
    srv.close();
    await once(srv, 'close');
    return port;
  }
}

let child: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  process.env.TZ = 'Asia/Shanghai';
  const port = await freePort();
  child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Wait for the server's own "Ready to accept connections" line rather than sleeping.
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child!.once('error', reject);
    child!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
  });
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
}

export async function teardown(): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}
