/**
 * Accounting benchmark: the month and year figures of a whole county, as the county roll-up asks for them
 * (`monthFiguresFor` with the month and the month before it, every cadre in post), for 1,000, 10,000 and
 * 100,000 cadres with a year of synthetic presence and leave (`writeSyntheticYear`). Each figure is the median
 * of `RUNS` runs in seconds; `growth` is the 100,000 figure over the 10,000 one.
 */
import type { Redis } from 'ioredis';
import { HolidayCalendar } from '../src/calendar/calendar.js';
import { monthCadres, monthFiguresFor } from '../src/close/read.js';
import { previousMonth } from '../src/attendance/month-figures.js';
import { localMonth } from '../src/kit/dates.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { Keys } from '../src/redis/keys.js';
import { wipeNamespace } from '../src/redis/wipe.js';
import { Roster } from '../src/roster/roster.js';
import { BENCH_NOW, writeSyntheticYear } from './accounting-data.js';

export const RUNS = 5;

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface AccountingFigures {
  '1000': number;
  '10000': number;
  '100000': number;
  growth: number;
}

/** Seconds for the roll-up's figures of `n` cadres (median of `RUNS`), on a county written here and wiped after. */
export async function accountingRun(redis: Redis, n: number, runs = RUNS): Promise<number> {
  const ns = `bench-acct-${n}`;
  const keys = new Keys(ns);
  await wipeNamespace(redis, ns);
  try {
    const roster = new Roster(await writeSyntheticYear(redis, keys, n));
    const src = { redis, keys, policy: defaultPolicy(), calendar: new HolidayCalendar() };
    const month = localMonth(BENCH_NOW);
    const cadres = monthCadres(roster, month);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      const { figures } = await monthFiguresFor(src, cadres, { now: BENCH_NOW, months: [month, previousMonth(month)] });
      times.push((performance.now() - t0) / 1000);
      if (figures.size !== n) throw new Error(`figures of ${figures.size} cadres, expected ${n}`);
    }
    return median(times);
  } finally {
    await wipeNamespace(redis, ns);
  }
}

export async function accountingBench(redis: Redis): Promise<AccountingFigures> {
  const small = await accountingRun(redis, 1_000);
  const medium = await accountingRun(redis, 10_000);
  const large = await accountingRun(redis, 100_000);
  return { '1000': small, '10000': medium, '100000': large, growth: large / medium };
}
