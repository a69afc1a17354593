/**
 * The fixed-offset Shanghai date helpers (`src/kit/dates.ts`) against the dayjs-tz computations they replaced,
 * in nanoseconds per call, each the median of several runs. Instants are spread over a year, so the one-day
 * memo of `localDate` misses on nearly every call; the "one day" row is the webhook's case, where the updates
 * of a day all ask for the same date. Run alone with `node --import tsx bench/dates.ts`; the lead adds it to
 * `npm run bench`.
 */
import { pathToFileURL } from 'node:url';
import { dayjs, dayOfYear, localDate, localTime, TZ } from '../src/kit/dates.js';

const RUNS = 5;
const N = 20_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The computations of src/kit/dates.ts before the fixed offset.
const old = {
  localDate: (at: Date) => dayjs(at).tz(TZ).format('YYYY-MM-DD'),
  localTime: (at: Date) => dayjs(at).tz(TZ).format('HH:mm'),
  dayOfYear: (date: string) => {
    const d = dayjs.utc(date);
    return d.diff(dayjs.utc(`${d.year()}-01-01`), 'day');
  },
};

/** A fixed pseudo-random sequence, so every run measures the same inputs. */
function instants(spreadMs: number): Date[] {
  let seed = 14;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const from = Date.parse('2026-01-01T00:00:00+08:00');
  return Array.from({ length: N }, () => new Date(from + Math.floor(next() * spreadMs)));
}

let sink = 0;

/** Median ns per call of `f` over `inputs`, after one warm-up pass. */
function nsPerCall<T>(inputs: T[], f: (x: T) => string | number): number {
  const pass = () => {
    for (const x of inputs) {
      const r = f(x);
      sink += typeof r === 'number' ? r : r.length;
    }
  };
  pass();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = process.hrtime.bigint();
    pass();
    times.push(Number(process.hrtime.bigint() - t0) / inputs.length);
  }
  return median(times);
}

/** The figures, keyed by what was measured (ns per call). */
export function datesBench(): Record<string, string> {
  const year = instants(365 * 86_400_000);
  const oneDay = instants(86_400_000 - 1);
  const dates = year.map((at) => localDate(at));
  // dayjs-tz costs tens of microseconds a call: a tenth of the inputs is plenty for it.
  const few = <T>(xs: T[]) => xs.slice(0, N / 10);
  const rows: [string, number, number][] = [
    ['localDate, instants over a year', nsPerCall(few(year), old.localDate), nsPerCall(year, localDate)],
    ['localDate, one day', nsPerCall(few(oneDay), old.localDate), nsPerCall(oneDay, localDate)],
    ['localTime', nsPerCall(few(year), old.localTime), nsPerCall(year, localTime)],
    ['dayOfYear', nsPerCall(dates, old.dayOfYear), nsPerCall(dates, dayOfYear)],
  ];
  const out: Record<string, string> = {};
  for (const [name, before, after] of rows) {
    out[`${name}, ns/call (dayjs → now)`] =
      `${before.toFixed(0)} → ${after.toFixed(0)} (×${(before / after).toFixed(0)})`;
  }
  if (sink === -1) out.sink = String(sink);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`zhucun-bot date helper benchmarks (median of ${RUNS} runs)\n`);
  for (const [k, v] of Object.entries(datesBench())) process.stdout.write(`  ${k.padEnd(64)} ${v}\n`);
}
