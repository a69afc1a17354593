/**
 * Worst cases of reading a message's text, without Redis: the command recognition (`Registry.matchText`, which
 * asks the leave parser whether a sentence reads like a leave) and the leave parser itself, on the largest text
 * the core lets through (16 KB, `messages.maxTextBytes`) made of the characters that cost chrono's Chinese
 * parsers most, and on the 58,000-numeral message of the audit. Each figure is the median of several runs, ms.
 * Run alone with `node --import tsx bench/parser.ts`; `npm run bench` includes it.
 */
import { pathToFileURL } from 'node:url';
import { createRegistry } from '../handlers/index.js';
import { leaveTypeOptions } from '../src/leave/check.js';
import { parseLeaveRequest } from '../src/leave/parse.js';
import { defaultPolicy } from '../src/policy/policy.js';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const LIMIT = defaultPolicy().messages.maxTextBytes;

/** `piece` repeated to at most `bytes` UTF-8 bytes. */
function fill(piece: string, bytes: number): string {
  const n = Math.floor(bytes / Buffer.byteLength(piece));
  return piece.repeat(n);
}

const INPUTS: Record<string, string> = {
  三: fill('三', LIMIT),
  '一二三…十': fill('一二三四五六七八九十', LIMIT),
  十: fill('十', LIMIT),
  '1': fill('1', LIMIT),
  月: fill('月', LIMIT),
  至: fill('至', LIMIT),
  spaces: fill(' ', LIMIT - 1) + 'x',
  'date words': fill('明天下周一11月25日至27日', LIMIT),
};

function time(f: () => unknown, runs = RUNS): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** The figures, keyed by what was measured. */
export function parserBench(): Record<string, string> {
  const registry = createRegistry();
  const policy = defaultPolicy();
  const types = leaveTypeOptions(policy);
  const now = new Date('2026-11-22T10:00:00+08:00');
  const out: Record<string, string> = {};
  const worst = { match: ['', 0] as [string, number], parse: ['', 0] as [string, number] };
  for (const [name, text] of Object.entries(INPUTS)) {
    const m = time(() => registry.matchText(text, { deps: { policy } }));
    const p = time(() => parseLeaveRequest(`请假 事假 ${text}`, { now, types }));
    if (m >= worst.match[1]) worst.match = [name, m];
    if (p >= worst.parse[1]) worst.parse = [name, p];
  }
  out[`recognition, 16 KB worst (${worst.match[0]}), ms`] = worst.match[1].toFixed(1);
  out[`leave parser, 16 KB worst (${worst.parse[0]}), ms`] = worst.parse[1].toFixed(1);
  const audit = '三'.repeat(58_000);
  out['leave parser, 58,000 numerals, ms'] = time(() => parseLeaveRequest(audit, { now, types }), 3).toFixed(1);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`zhucun-bot parser benchmarks (median of ${RUNS} runs)\n`);
  for (const [k, v] of Object.entries(parserBench())) process.stdout.write(`  ${k.padEnd(48)} ${v}\n`);
}
