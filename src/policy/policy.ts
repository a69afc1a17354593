/**
 * The county's policy file (`ZHUCUN_POLICY`, default `config/policy.yaml`): every number the bot works with.
 * A county writes only what it changes; the defaults fill the rest. A wrong value stops start-up with the
 * file, the key and what the value must be, e.g. `policy.yaml: monthly.minimum: must be a positive whole number`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { isDateString } from '../kit/dates.js';
import { defaultPolicyValues } from './defaults.js';
import { policySchema, type JobName, type Policy } from './schema.js';

export { CATCH_UP_JOBS, JOB_NAMES, LEAVE_CLASSES, LEAVE_DAY_COUNTS, SELF_REPORTED } from './schema.js';
export type {
  AnnualPeriod,
  CatchUpJob,
  JobName,
  LeaveClass,
  LeaveDayCount,
  MonthlyRule,
  Policy,
  ReportPrompt,
  SelfReported,
} from './schema.js';
export { approvalChain, leaveType, type ApprovalChain, type LeaveTypeInfo } from './leave.js';

/** A policy file that cannot be used; one line per wrong key. */
export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/** The default policy (what an empty policy file gives). */
export function defaultPolicy(): Policy {
  return defaultPolicyValues();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Lay the county's values over the defaults: maps merge key by key (so one leave type can be changed without
 * repeating the others), lists and single values replace, and an empty YAML value (`key:`) keeps the default.
 */
function overlay(base: unknown, over: unknown): unknown {
  if (over === undefined || over === null) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = overlay(base[k], v);
  return out;
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function issueLines(source: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${source}: ${keyPath([...issue.path, k])}: unknown setting (check the spelling)`);
    }
    return [`${source}: ${keyPath(issue.path) || '(file)'}: ${issue.message}`];
  });
}

/**
 * Keys a county's file may still use from an earlier version, turned into today's and named in a warning:
 * `checkin.selfReportedCounts: true|false` became `checkin.selfReported: count|refuse`.
 */
function upgradeLegacy(raw: Record<string, unknown>, source: string, warnings: string[]): Record<string, unknown> {
  const checkin = raw.checkin;
  if (!isPlainObject(checkin) || !('selfReportedCounts' in checkin)) return raw;
  const { selfReportedCounts: old, ...rest } = checkin;
  if (typeof old !== 'boolean') return raw; // the schema reports it as an unknown key
  if (rest.selfReported === undefined) rest.selfReported = old ? 'count' : 'refuse';
  warnings.push(
    `${source}: checkin.selfReportedCounts is replaced by checkin.selfReported (confirm, count or refuse); ` +
      `read as selfReported: ${String(rest.selfReported)}`,
  );
  return { ...raw, checkin: rest };
}

/** A checked policy and the warnings about keys kept from an earlier version. */
export interface PolicyRead {
  policy: Policy;
  warnings: string[];
  /** The top-level `effectiveFrom: YYYY-MM-DD`: the first day the file applies (absent: from when it is registered). */
  effectiveFrom?: string;
}

/**
 * Take the top-level `effectiveFrom` off the file (it dates the policy, it is no setting) and check it: a real
 * calendar date written YYYY-MM-DD. Throws PolicyError.
 */
function takeEffectiveFrom(raw: Record<string, unknown>, source: string): string | undefined {
  const v = raw.effectiveFrom;
  delete raw.effectiveFrom;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !isDateString(v)) {
    throw new PolicyError([`${source}: effectiveFrom: must be a date written YYYY-MM-DD, e.g. "2026-12-01"`]);
  }
  return v;
}

/** Check policy text (YAML); `source` names the file in errors. Throws PolicyError. */
export function readPolicy(text: string, source = 'policy.yaml'): PolicyRead {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new PolicyError([`${source}: not valid YAML: ${err instanceof Error ? err.message : String(err)}`]);
  }
  if (raw !== null && raw !== undefined && !isPlainObject(raw)) {
    throw new PolicyError([`${source}: must be a map of settings (key: value)`]);
  }
  const warnings: string[] = [];
  const own = isPlainObject(raw) ? { ...raw } : raw;
  const effectiveFrom = isPlainObject(own) ? takeEffectiveFrom(own, source) : undefined;
  const upgraded = isPlainObject(own) ? upgradeLegacy(own, source, warnings) : own;
  const parsed = policySchema.safeParse(overlay(defaultPolicyValues(), upgraded));
  if (!parsed.success) throw new PolicyError(issueLines(source, parsed.error.issues));
  return { policy: parsed.data, warnings, ...(effectiveFrom ? { effectiveFrom } : {}) };
}

/** Check policy text (YAML); `source` names the file in errors. Throws PolicyError. */
export function parsePolicy(text: string, source = 'policy.yaml'): Policy {
  return readPolicy(text, source).policy;
}

/**
 * Read and check the policy file at `path`. Throws PolicyError naming the file and each wrong key; `warn`
 * hears about keys kept from an earlier version.
 */
export function loadPolicy(path: string, warn: (line: string) => void = () => {}): Policy {
  return loadPolicyFile(path, warn).policy;
}

/** As `loadPolicy`, with the file's `effectiveFrom` (the dated policy history registers it). */
export function loadPolicyFile(path: string, warn: (line: string) => void = () => {}): PolicyRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(err);
    throw new PolicyError([`${path}: ${why} (ZHUCUN_POLICY names the policy file)`]);
  }
  const read = readPolicy(text, basename(path));
  read.warnings.forEach((w) => warn(w));
  return read;
}

/**
 * The cron expression (Asia/Shanghai) a job runs on, or null when the policy turns it off. Report prompts
 * follow `reports.prompt`: weekly keeps the configured day, daily runs at the same time every day, off stops.
 */
export function jobSchedule(policy: Policy, job: JobName): string | null {
  const expr = policy.jobs[job];
  if (job !== 'reportPrompt') return expr;
  if (policy.reports.prompt === 'off') return null;
  if (policy.reports.prompt === 'weekly') return expr;
  const fields = expr.trim().split(/\s+/);
  fields[fields.length - 1] = '*';
  return fields.join(' ');
}
