/**
 * What 积分 needs to know of a cadre's numbered notices (提醒单, 整改单, 警示单): a small input the notices' store
 * answers. Points take it as a dependency; they never make notices up. A notice withdrawn as issued in error
 * costs nothing (docs/rules.md, 积分).
 */
import type { Period } from './half.js';

export type { Period };

export type NoticeKind = 'remind' | 'rectify' | 'warn';
/** `issued`: a 提醒单, which asks for no answer. */
export type NoticeState = 'issued' | 'open' | 'answered' | 'closed' | 'escalated' | 'withdrawn';

export interface NoticeRecord {
  /** The notice's number, e.g. Z2026-014. */
  number: string;
  kind: NoticeKind;
  /** `YYYY-MM-DD`. */
  issuedOn: string;
  state: NoticeState;
}

/** The notices issued to each of `userids` with `issuedOn` in `period` (any order; a userid without any may be missing). */
export interface NoticeSource {
  ofUsers(userids: readonly string[], period: Period): Promise<ReadonlyMap<string, readonly NoticeRecord[]>>;
}
