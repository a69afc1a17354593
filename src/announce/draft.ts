/**
 * From `通知 [范围] 内容` to a draft waiting for 确认发送: read the audience, apply the sender's range and the
 * length limit, and fix the recipients. Pure: returns the draft or a typed refusal, never a sentence.
 */
import type { Person, Roster } from '../roster/roster.js';
import { rangeNames, senderLabel, senderRange, wholeRange, withinRange, ownRange } from './range.js';
import type { AnnounceDraft } from './repo.js';
import { readScope, recipientsOf, type AnnounceScope, type ScopeProblem } from './scope.js';

export type DraftRefusal =
  | { code: 'scope'; problem: ScopeProblem }
  | { code: 'name_the_scope'; range: string[] }
  | { code: 'empty' }
  | { code: 'too_long'; max: number }
  | { code: 'out_of_range'; range: string[] }
  | { code: 'no_recipients'; scope: AnnounceScope };

export interface DraftInput {
  roster: Roster;
  person: Person;
  /** The text after the alias (normalised), for reading the audience. */
  rest: string;
  /** Turns the text left after the audience back into what the sender wrote (line breaks, full-width). */
  original: (text: string) => string;
  maxChars: number;
  now: Date;
  /** Tells this draft from the sender's others (derived from the update, so a retried callback gets the same). */
  id: string;
}

/** Prepare a draft, or say why not. The first rule that fails wins. */
export function prepareDraft(i: DraftInput): { ok: true; draft: AnnounceDraft } | { ok: false; refusal: DraftRefusal } {
  const range = senderRange(i.roster, i.person);
  const reading = readScope(i.roster, i.rest, ownRange(range));
  if (!reading.ok) return { ok: false, refusal: { code: 'scope', problem: reading.problem } };
  const scope = reading.scope ?? wholeRange(range);
  if (!scope) return { ok: false, refusal: { code: 'name_the_scope', range: rangeNames(range) } };
  const text = i.original(reading.text);
  if (!text) return { ok: false, refusal: { code: 'empty' } };
  if ([...text].length > i.maxChars) return { ok: false, refusal: { code: 'too_long', max: i.maxChars } };
  const cadres = recipientsOf(i.roster, scope);
  if (!withinRange(i.roster, range, cadres))
    return { ok: false, refusal: { code: 'out_of_range', range: rangeNames(range) } };
  if (!cadres.length) return { ok: false, refusal: { code: 'no_recipients', scope } };
  const from = senderLabel(range);
  return {
    ok: true,
    draft: {
      id: i.id,
      text,
      scope,
      implicit: !reading.scope,
      ...(from ? { from } : {}),
      recipients: cadres.map((c) => c.userid),
      createdAt: i.now.toISOString(),
    },
  };
}

/**
 * Whether a draft still waits at `now`: Redis drops it after `announcements.draftMinutes` by its own clock, and
 * this holds the same limit by the bot's clock (the sandbox and tests move theirs).
 */
export function draftLive(d: AnnounceDraft, now: Date, minutes: number): boolean {
  return now.getTime() - new Date(d.createdAt).getTime() <= minutes * 60_000;
}
