/**
 * The options of `zhucun audit`: a time window (`--since`, `--until`: a date, a time or a duration back from
 * now), people and kinds. Each mistake is a `UsageError` naming the option and what it takes.
 */
import { AUDIT_KINDS, type AuditKind } from '../audit/trail.js';
import type { AuditQuery } from '../audit/read.js';
import { addDays, dayjs, isDateString, startOfLocalDay, TZ } from '../kit/dates.js';
import { UsageError } from './io.js';

const HOUR_MS = 3_600_000;
/** `7d`, `24h`: that many days or hours back from now. */
const DURATION = /^(\d{1,6})([dh])$/;
/** `2026-11-18T09:30`, `2026-11-18 09:30:00`, with or without an offset. */
const TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})?$/;
const EXAMPLES = 'e.g. 2026-11-01, 2026-11-01T08:00, 7d or 24h';

/**
 * An instant from a date (`YYYY-MM-DD`: its first moment, or with `endOfDay` its last), a time (Asia/Shanghai
 * unless it has an offset) or a duration back from `now`.
 */
export function parseWhen(option: string, value: string, now: Date, endOfDay: boolean): number {
  const d = DURATION.exec(value);
  if (d) return now.getTime() - Number(d[1]) * (d[2] === 'd' ? 24 : 1) * HOUR_MS;
  if (isDateString(value)) {
    return endOfDay ? startOfLocalDay(addDays(value, 1)).getTime() - 1 : startOfLocalDay(value).getTime();
  }
  if (TIME.test(value)) {
    const hasOffset = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value);
    const at = hasOffset ? new Date(value.replace(' ', 'T')) : dayjs.tz(value.replace(' ', 'T'), TZ).toDate();
    if (!Number.isNaN(at.getTime())) return at.getTime();
  }
  throw new UsageError(`--${option}: not a date, time or duration: ${value} (${EXAMPLES})`);
}

/** `--kind leave.approve,announce.send`, or a family (`leave` = every `leave.*`); repeatable. */
export function parseKinds(values: readonly string[]): AuditKind[] | undefined {
  if (!values.length) return undefined;
  const kinds = new Set<AuditKind>();
  for (const word of values.flatMap((v) => v.split(',')).map((w) => w.trim())) {
    const found = AUDIT_KINDS.filter((k) => k === word || k.split('.')[0] === word);
    if (!word || !found.length)
      throw new UsageError(`--kind: unknown kind "${word}"; the kinds are ${AUDIT_KINDS.join(', ')}`);
    found.forEach((k) => kinds.add(k));
  }
  return [...kinds];
}

/** The query of the command line's options. */
export function auditQuery(
  values: { since?: string; until?: string; user?: string[]; kind?: string[] },
  now: Date,
): AuditQuery {
  const since = values.since === undefined ? undefined : parseWhen('since', values.since, now, false);
  const until = values.until === undefined ? undefined : parseWhen('until', values.until, now, true);
  if (since !== undefined && until !== undefined && since > until)
    throw new UsageError(`--since ${values.since} is after --until ${values.until}`);
  const users = (values.user ?? []).flatMap((u) => u.split(',')).map((u) => u.trim());
  if (users.some((u) => !u)) throw new UsageError('--user needs a userid (or cli:USER@HOST, admin, job:ID)');
  const kinds = parseKinds(values.kind ?? []);
  return {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(users.length ? { users } : {}),
    ...(kinds ? { kinds } : {}),
  };
}
