/**
 * Run the accounting, sheet and digest benchmarks alone against an embedded Redis of their own:
 * `node --import tsx bench/accounting-main.ts [accounting|sheet|digest|<cadres>...]` (all three by default; a
 * number runs the accounting of that many cadres only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openEmbeddedRedis } from '../src/redis/embedded.js';
import { silentLogger } from '../src/log.js';
import { accountingBench, accountingRun } from './accounting.js';
import { digestBench, digestRun, sheetBench } from './sheet.js';

const args = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'zhucun-bench-acct-'));
const embedded = await openEmbeddedRedis({ dataDir: dir, log: silentLogger });
const redis = new Redis(embedded.url);
try {
  const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
  for (const n of sizes)
    process.stdout.write(
      `accounting ${n}: ${(await accountingRun(redis, n, Number(process.env.BENCH_RUNS ?? 5))).toFixed(3)} s\n`,
    );
  const all = !args.length;
  if (all || args.includes('accounting')) process.stdout.write(`${JSON.stringify(await accountingBench(redis))}\n`);
  if (all || args.includes('sheet'))
    process.stdout.write(`sheet of 2,000 cadres: ${(await sheetBench(redis)).toFixed(3)} s\n`);
  if (all || args.includes('digest')) {
    // One run described (what a county's digest sends), then the median.
    const one = await digestRun(redis, embedded.url, 'bench-digest-probe', 300);
    process.stdout.write(`digest of 300 cadres: ${JSON.stringify(one)}\n`);
    process.stdout.write(`digest of 300 cadres: ${(await digestBench(redis)).toFixed(3)} s\n`);
  }
} finally {
  redis.disconnect();
  await embedded.stop();
  rmSync(dir, { recursive: true, force: true });
}
