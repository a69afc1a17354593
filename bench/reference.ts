/**
 * Reference points measured in the same run as the product's figures: what the Redis server itself does
 * (`redis-benchmark` SET against the same configuration as the embedded server) and what verifying and
 * decrypting one callback costs alone.
 */
import { spawnSync } from 'node:child_process';
import { syntheticRoster } from './roster-gen.js';
import { BENCH_APP, prepareCallbacks } from './webhook.js';
import { WecomCrypto } from '../src/wecom/crypto.js';
import { parseAppEnvelope } from '../src/wecom/envelope.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** SET requests per second at 32 connections against the server at `url` (median of `runs`). */
export function redisSetRps(url: string, runs: number): number {
  const { hostname, port, password } = new URL(url);
  // The bench's own throw-away server: its password on the command line shows only to this machine's `ps`.
  const auth = password ? ['-a', decodeURIComponent(password)] : [];
  const args = ['-h', hostname, '-p', port, ...auth, '-t', 'set', '-n', '50000', '-c', '32', '-q', '--csv'];
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('redis-benchmark', args, { encoding: 'utf8' });
    const line = r.stdout.split('\n').find((l) => l.startsWith('"SET"'));
    if (!line) throw new Error(`redis-benchmark gave no figure: ${r.stderr || r.stdout}`);
    out.push(Number(line.split(',')[1]!.replace(/"/g, '')));
  }
  return median(out);
}

/** Microseconds to verify the signature of and decrypt one location callback (median of `runs` batches). */
export function decryptMicros(runs: number): number {
  const crypto = new WecomCrypto({
    token: BENCH_APP.token,
    encodingAESKey: BENCH_APP.aesKey,
    receiveId: BENCH_APP.corpId,
  });
  const bodies = prepareCallbacks(syntheticRoster(300), 5_000, 'location', 99);
  const parsed = bodies.map((b) => {
    const q = new URLSearchParams(b.path.split('?')[1]);
    return {
      sig: q.get('msg_signature')!,
      ts: q.get('timestamp')!,
      nonce: q.get('nonce')!,
      encrypt: parseAppEnvelope(b.body).encrypt,
    };
  });
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (const p of parsed) crypto.decryptMessage(p.sig, p.ts, p.nonce, p.encrypt);
    out.push(((performance.now() - t0) * 1000) / parsed.length);
  }
  return median(out);
}
