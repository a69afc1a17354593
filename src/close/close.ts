/**
 * Closing a month (关账): every cadre's month figures, computed by the same function as the sheet
 * (`loadMonthFigures`) under the policy version in force on the month's last day, are stored with that
 * version; from then on the month reads as it was closed. A month closes once: a second close, by the job or
 * an operator, finds it closed and changes nothing. Only a month that is over can be closed.
 */
import { appendAudit } from '../audit/trail.js';
import { randomUUID } from 'node:crypto';
import type { FiguresSource } from '../attendance/figures.js';
import { loadMonthFigures } from '../attendance/month-figures.js';
import { localDate, localMonth, monthDates } from '../kit/dates.js';
import { PolicyHistory } from '../policy/history.js';
import type { Roster } from '../roster/roster.js';
import { monthCadres, versionOfMonth, yearsThroughMonthEnd } from './read.js';
import { ClosedMonthStore, type ClosedMonth, type StoredMonth } from './store.js';

/** A month that cannot be closed (not over yet, or another closer is at it). */
export class CloseRefused extends Error {
  override name = 'CloseRefused';
}

/** What a close did: closed it now, or found it closed. */
export interface CloseResult {
  status: 'closed' | 'already';
  meta: ClosedMonth;
}

/** The month that is due to be closed on `today` (`YYYY-MM-DD`): the previous one from its `closeDay`. Pure. */
export function dueMonth(today: string, closeDay: number): string | undefined {
  if (Number(today.slice(8, 10)) < closeDay) return undefined;
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * Close `month` (`YYYY-MM`) as of `now`: refuses a month that is not over (CloseRefused), returns the standing
 * close of a month closed already, else computes and stores every cadre's figures. Throws RangeError for a
 * malformed month.
 */
export async function closeMonth(
  src: FiguresSource,
  roster: Roster,
  month: string,
  opts: { now: Date; actor: string },
): Promise<CloseResult> {
  const last = monthDates(month).at(-1)!;
  if (month >= localMonth(opts.now)) {
    throw new CloseRefused(`${month} is not over yet (today is ${localDate(opts.now)}); a month closes after ${last}`);
  }
  const store = new ClosedMonthStore(src.redis, src.keys);
  const standing = await store.get(month);
  if (standing) return { status: 'already', meta: standing };
  const token = randomUUID();
  if (!(await store.lock(month, token, 10 * 60_000))) {
    throw new CloseRefused(`${month} is being closed by another process; try again in a few minutes`);
  }
  try {
    const again = await store.get(month);
    if (again) return { status: 'already', meta: again };
    const version = versionOfMonth(await new PolicyHistory(src.redis, src.keys).versions(), month);
    const policy = version?.policy ?? src.policy;
    const cadres = monthCadres(roster, month);
    const figures = await loadMonthFigures({ ...src, policy }, cadres, { now: opts.now, months: [month] });
    // The year to date as the sheet shows it (through the month's end), kept so that it stays as closed too.
    const years = await yearsThroughMonthEnd({ ...src, policy }, cadres, month, opts.now);
    const entries = new Map<string, StoredMonth>();
    for (const [id, f] of figures) {
      const m = f.months.find((x) => x.month === month);
      const year = years?.get(id) ?? f.year;
      if (m) entries.set(id, { month: m, leave: [...f.leave].filter(([d]) => d.startsWith(month)), year });
    }
    const meta: ClosedMonth = {
      month,
      closedAt: opts.now.getTime(),
      actor: opts.actor,
      ...(version ? { version: { id: version.id, effectiveFrom: version.effectiveFrom } } : {}),
      cadres: entries.size,
    };
    if (await store.write(meta, entries)) {
      await appendAudit(src.redis, src.keys, {
        kind: 'month.close',
        actor: opts.actor,
        channel: opts.actor.startsWith('job:') ? 'job' : 'cli',
        at: opts.now.getTime(),
        id: `month.close:${month}`,
        ref: month,
        summary: `${entries.size} cadres${version ? `, policy from ${version.effectiveFrom}` : ''}`,
      });
      return { status: 'closed', meta };
    }
    return { status: 'already', meta: (await store.get(month))! };
  } finally {
    await store.unlock(month, token);
  }
}
