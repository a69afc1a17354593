/**
 * `node --import tsx bench/memory-main.ts [CADRES]`: the memory benchmark alone (bench/memory.ts), against an
 * embedded Redis of its own in a temporary folder. Prints bytes per cadre-year and the breakdown per key family.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedRedis } from '../src/redis/embedded.js';
import { silentLogger } from '../src/log.js';
import { memoryBench } from './memory.js';

const cadres = Number(process.argv[2] ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'zhucun-bench-mem-'));
const embedded = await openEmbeddedRedis({ dataDir: dir, log: silentLogger });
try {
  const started = performance.now();
  const { bytesPerCadreYear, detail } = await memoryBench(embedded.url, cadres);
  process.stdout.write(`memory: ${bytesPerCadreYear} bytes per cadre-year (${cadres} cadres, target ≤ 16384)\n`);
  for (const [family, bytes] of Object.entries(detail).sort((a, b) => b[1] - a[1]))
    process.stdout.write(`  ${family.padEnd(40)} ${String(bytes).padStart(7)}\n`);
  process.stdout.write(`(${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
} finally {
  await embedded.stop();
  rmSync(dir, { recursive: true, force: true });
}
