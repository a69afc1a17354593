/**
 * The repositories, built once per Redis connection and namespace and handed to handlers and jobs as
 * `ctx.repos`. Each keeps one kind of record: reads go to Redis directly, writes are staged in the caller's
 * `Tx` (see src/redis/tx.ts for the save convention), so handlers and jobs name no Redis command.
 */
import { AnnounceRepo } from './announce/repo.js';
import { AssessRepo } from './assess/repo.js';
import { BackfillRepo } from './attendance/backfill.js';
import { CheckinRepo } from './attendance/ledger.js';
import { LeaveRepo } from './leave/repo.js';
import { NoticeRepo } from './notices/repo.js';
import type { RedisClient } from './redis/client.js';
import type { Keys } from './redis/keys.js';
import { ProblemRepo } from './problems/repo.js';
import { ReportRepo } from './reports/repo.js';
import { PushLogRepo } from './schedule/push-log.js';
import { VisitRepo } from './visits/repo.js';
import { RectifyReplyRepo } from './warnings/replies.js';
import { WarningRepo } from './warnings/store.js';

export interface Repos {
  /** Leave requests (Q1001) and the approvers' inboxes. */
  leave: LeaveRepo;
  /** Back-fills (B1001) of missed check-ins. */
  backfills: BackfillRepo;
  /** The presence ledger: check-ins per day, presence bitmaps per year. */
  checkins: CheckinRepo;
  /** Work reports (H1001) and their photos. */
  reports: ReportRepo;
  /** Announcements (N1001) and their read receipts. */
  announcements: AnnounceRepo;
  /** Notices of the warning ladder sent, per cadre, month and stage. */
  warnings: WarningRepo;
  /** Cadres' answers to 整改 notices. */
  rectifyReplies: RectifyReplyRepo;
  /** What was pushed to whom, and which reminders were dropped (the burden figures). */
  pushLog: PushLogRepo;
  /** Visits (到村调研, V1001) of leaders to villages, indexed per village and per sending unit. */
  visits: VisitRepo;
  /** The problem ledger (民情台账, P1001). */
  problems: ProblemRepo;
  /** End-of-term assessment rounds (考评, K1001), their grades and the villagers' 评议. */
  assess: AssessRepo;
  /** Numbered notices (提醒单 T…, 整改单 Z…, 警示单 J…). */
  notices: NoticeRepo;
}

/** Every repository on one Redis connection and namespace. */
export function createRepos(redis: RedisClient, keys: Keys): Repos {
  return {
    leave: new LeaveRepo(redis, keys),
    backfills: new BackfillRepo(redis, keys),
    checkins: new CheckinRepo(redis, keys),
    reports: new ReportRepo(redis, keys),
    announcements: new AnnounceRepo(redis, keys),
    warnings: new WarningRepo(redis, keys),
    rectifyReplies: new RectifyReplyRepo(redis, keys),
    pushLog: new PushLogRepo(redis, keys),
    visits: new VisitRepo(redis, keys),
    problems: new ProblemRepo(redis, keys),
    assess: new AssessRepo(redis, keys),
    notices: new NoticeRepo(redis, keys),
  };
}
