/**
 * The digests as outbound messages, pure: markdown split to WeCom's size limit, deterministic keys per
 * township, day (or ISO week) and audience, so a run repeated by the scheduler or an operator sends nothing
 * twice. Names go only to supervisors (app messages to their userids); a group's webhook gets the totals.
 */
import type { Outbound, OutboundTarget } from '../core/outbound.js';
import {
  dailyGroup,
  dailySupervisors,
  dailyTitle,
  weeklyDigest,
  weeklyTitle,
  type DailyTextOptions,
  type WeeklyTextOptions,
} from '../../templates/digest.js';
import { dailyTotals, type DailyModel } from './daily.js';
import { APP_MARKDOWN_MAX_BYTES, splitMarkdown } from './split.js';
import type { WeeklyModel } from './weekly.js';

/** The key of the n-th message (0-based) of a split digest: the base key, then `base:2`, `base:3`, … */
export function partKey(base: string, index: number): string {
  return index === 0 ? base : `${base}:${index + 1}`;
}

function markdownParts(base: string, to: OutboundTarget, parts: string[]): Outbound[] {
  return parts.map((content, i) => ({
    key: partKey(base, i),
    to,
    body: { type: 'markdown', content },
    purpose: 'digest',
  }));
}

export interface DailyAudience {
  /** Township supervisors' userids (names allowed). */
  supervisors: string[];
  /** The township group's webhook key variable (totals only), when the township has a group. */
  groupKeyEnv?: string;
}

/**
 * One township's daily digest: to the supervisors `digest:daily:<township>:<date>:supervisors` (split into
 * more messages when large), to the group `…:group`.
 */
export function dailyMessages(m: DailyModel, to: DailyAudience, text: DailyTextOptions): Outbound[] {
  const base = `digest:daily:${m.township.id}:${m.date}`;
  const out: Outbound[] = [];
  if (to.supervisors.length) {
    const parts = splitMarkdown(dailySupervisors(m, text), {
      maxBytes: APP_MARKDOWN_MAX_BYTES,
      continued: (p) => dailyTitle(m, p),
    });
    out.push(...markdownParts(`${base}:supervisors`, { kind: 'user', userIds: to.supervisors }, parts));
  }
  if (to.groupKeyEnv) {
    out.push(
      ...markdownParts(
        `${base}:group`,
        { kind: 'webhook', keyEnv: to.groupKeyEnv },
        splitMarkdown(dailyGroup(dailyTotals(m), text)),
      ),
    );
  }
  return out;
}

/**
 * The weekly digest to the organisation department: `digest:weekly:<iso week>:org` (split when large), then
 * the chart image `…:org:chart` when one was rendered.
 */
export function weeklyMessages(
  m: WeeklyModel,
  to: { org: string[]; week: string; chartPng?: string },
  text: Omit<WeeklyTextOptions, 'withChart'>,
): Outbound[] {
  if (!to.org.length) return [];
  const base = `digest:weekly:${to.week}:org`;
  const target: OutboundTarget = { kind: 'user', userIds: to.org };
  const parts = splitMarkdown(weeklyDigest(m, { ...text, withChart: to.chartPng !== undefined }), {
    maxBytes: APP_MARKDOWN_MAX_BYTES,
    continued: (p) => weeklyTitle(m, p),
  });
  const out = markdownParts(base, target, parts);
  if (to.chartPng)
    out.push({ key: `${base}:chart`, to: target, body: { type: 'image', pngBase64: to.chartPng }, purpose: 'digest' });
  return out;
}
