/**
 * `npm run bench`: every figure of the performance targets, each the median of RUNS runs (the webhook's of RUNS + 2
 * rounds), comparisons side by side in the same run on the same machine, against real redis-server processes
 * started here (append-only, fsync always, as the embedded default). Prints a table with target and pass/fail and writes
 * bench/results/latest.json. `--only=webhook,accounting,memory,sheet,reference,micro` runs a part.
 *   1. webhook: `zhucun serve` (one process, and one worker per core) on 300 and 30,000 cadres against bare Koa
 *      (bench/webhook-bench.ts);
 *   2. accounting: month and year figures of 1,000, 10,000 and 100,000 cadres (bench/accounting.ts);
 *   3. memory: Redis bytes per cadre-year after the retention step (bench/memory.ts);
 *   4. the monthly sheet of 2,000 cadres, the daily digest of a 300-cadre county (bench/sheet.ts);
 *   5. reference points: redis-benchmark SET, verify + decrypt of one callback; micro figures of the parser
 *      and the date helpers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { openEmbeddedRedis } from '../src/redis/embedded.js';
import { silentLogger } from '../src/log.js';
import { accountingBench } from './accounting.js';
import { datesBench } from './dates.js';
import { memoryBench } from './memory.js';
import { parserBench } from './parser.js';
import { decryptMicros, redisSetRps } from './reference.js';
import { digestBench, sheetBench } from './sheet.js';
import { webhookBench, type WebhookFigures } from './webhook-bench.js';

const RUNS = 5;
const only = new Set(
  process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',') ?? ['webhook', 'accounting', 'memory', 'sheet', 'reference', 'micro'],
);

interface Row {
  figure: string;
  value: string;
  target: string;
  pass: boolean | null;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const failures: string[] = [];
  /** Run one part; a part that fails is reported (and fails the run) without losing the others' figures. */
  const part = async (name: string, run: () => Promise<void>) => {
    if (!only.has(name)) return;
    try {
      await run();
    } catch (err) {
      failures.push(`${name}: ${(err as Error).stack ?? String(err)}`);
      rows.push({ figure: `${name}: did not run`, value: 'error', target: '', pass: false });
    }
  };
  const row = (figure: string, value: string, target = '', pass: boolean | null = null) =>
    rows.push({ figure, value, target, pass });
  const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1];
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GB`,
    node: process.version,
    redis: redisVersion,
  };

  await part('webhook', async () => {
    // Two more rounds than the other parts: the webhook figures drift most between rounds.
    const w: WebhookFigures = await webhookBench({ runs: RUNS + 2, seconds: 5, port: 31_870 });
    result.webhook = w;
    row('webhook: location check-ins /s, 300 cadres, 32 conn, one process', w.rps.toFixed(0));
    row(`webhook: the same with ${w.workers} workers`, w.workersRps.toFixed(0));
    row(`webhook: ${w.workers} workers ÷ bare Koa`, w.workersRatio.toFixed(3));
    row('webhook: bare Koa /s, same run', w.bareRps.toFixed(0));
    row('webhook: throughput ÷ bare Koa', w.ratio.toFixed(3), '≥ 0.20 (0.15 at least)', w.ratio >= 0.2);
    row('webhook: p50 / p99 ms, 32 conn', `${w.p50Ms} / ${w.p99Ms}`);
    row('webhook: text commands /s, 300 cadres', w.textRps.toFixed(0));
    row('webhook: 30,000 cadres ÷ 300 cadres', w.rosterGrowth.toFixed(2), '≥ 0.9', w.rosterGrowth >= 0.9);
    row('webhook: p99 ms at a steady 1,000 req/s', w.p99At1000Ms.toFixed(1), '≤ 20', w.p99At1000Ms <= 20);
    row('webhook: failed or non-2xx answers', String(w.errors), '0', w.errors === 0);
  });

  const dir = mkdtempSync(join(tmpdir(), 'zhucun-bench-'));
  const embedded = await openEmbeddedRedis({ dataDir: dir, log: silentLogger });
  const redis = new Redis(embedded.url);
  try {
    await part('accounting', async () => {
      const a = await accountingBench(redis);
      result.accounting = a;
      row('accounting: 1,000 cadres, s', a['1000'].toFixed(3));
      row('accounting: 10,000 cadres, s', a['10000'].toFixed(3));
      row('accounting: 100,000 cadres, s', a['100000'].toFixed(3), '≤ 2', a['100000'] <= 2);
      row('accounting: 100k ÷ 10k', a.growth.toFixed(1), '≤ 12', a.growth <= 12);
    });
    await part('memory', async () => {
      const m = await memoryBench(embedded.url);
      result.memoryPerCadreYearBytes = m.bytesPerCadreYear;
      result.memoryDetail = m.detail;
      const kb = m.bytesPerCadreYear / 1024;
      row('memory: Redis bytes per cadre-year', `${m.bytesPerCadreYear} (${kb.toFixed(1)} KB)`, '≤ 16 KB', kb <= 16);
    });
    await part('sheet', async () => {
      const s = await sheetBench(redis);
      const d = await digestBench(redis);
      result.sheet2000Seconds = s;
      result.digest300Seconds = d;
      row('monthly sheet, 2,000 cadres, s', s.toFixed(2), '≤ 3', s <= 3);
      row('daily digest, 300 cadres, to the fake WeCom, s', d.toFixed(2), '≤ 5', d <= 5);
    });
    await part('reference', async () => {
      const reference = { redisSetRps: redisSetRps(embedded.url, RUNS), decryptPerMsgMicros: decryptMicros(RUNS) };
      result.reference = reference;
      row('reference: redis-benchmark SET /s (fsync always)', reference.redisSetRps.toFixed(0));
      row('reference: verify + decrypt one callback, µs', reference.decryptPerMsgMicros.toFixed(1));
    });
    await part('micro', async () => {
      const micro = { ...parserBench(), ...datesBench() };
      result.micro = micro;
      for (const [k, v] of Object.entries(micro)) row(`micro: ${k}`, v);
    });
  } finally {
    redis.disconnect();
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const width = Math.max(...rows.map((r) => r.figure.length));
  process.stdout.write(
    `zhucun-bot benchmarks (median of ${RUNS} runs, the webhook's of ${RUNS + 2}) — ${result.machine}, Node ${process.version}, Redis ${redisVersion}\n`,
  );
  for (const r of rows) {
    const verdict = r.pass === null ? '' : r.pass ? 'pass' : 'FAIL';
    process.stdout.write(`  ${r.figure.padEnd(width)}  ${r.value.padStart(16)}  ${r.target.padEnd(24)} ${verdict}\n`);
  }
  for (const f of failures) process.stderr.write(`\n${f}\n`);
  if (failures.length) process.exitCode = 1;
  result.targets = rows
    .filter((r) => r.pass !== null)
    .map((r) => ({ figure: r.figure, value: r.value, target: r.target, pass: r.pass }));
  if (only.size === 6) {
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write('written to bench/results/latest.json\n');
  } else {
    process.stdout.write(`partial run (${[...only].join(', ')}): bench/results/latest.json left as it was\n`);
  }
}

await main();
