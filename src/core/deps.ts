/**
 * Everything the core and the handlers use from the outside world, passed in rather than imported, so tests
 * and the sandbox can give their own clock, Redis namespace and outbox.
 */
import type { NoticeSource } from '../points/notices.js';
import type { HolidayCalendar } from '../calendar/calendar.js';
import type { Logger } from '../log.js';
import type { Policy } from '../policy/policy.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { ReplicaWait } from '../redis/replicas.js';
import type { Repos } from '../repos.js';
import type { RosterStore } from '../roster/store.js';
import type { Clock } from './clock.js';
import type { OutboxPort } from './outbox-port.js';

export interface Deps {
  redis: RedisClient;
  keys: Keys;
  /** The repositories on `redis` and `keys`, built once (`createRepos`). */
  repos: Repos;
  clock: Clock;
  log: Logger;
  roster: RosterStore;
  outbox: OutboxPort;
  policy: Policy;
  calendar: HolidayCalendar;
  /** Public base URL of this server (links in cards, the check-in page). */
  publicUrl: string;
  /** Link that opens the check-in page inside WeCom (the OAuth authorize URL redirecting to /checkin). */
  checkinLink: string;
  /** Sentinel mode: an update is answered once the replicas hold its commit (src/redis/replicas.ts). */
  replicaWait?: ReplicaWait;
  /** The numbered notices (提醒单/整改单/警示单) as 积分 reads them; absent: notices count for no points. */
  notices?: NoticeSource;
}
