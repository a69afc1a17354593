/**
 * Builds the core's dependencies for a test: real Redis (own namespace), a fixed clock, a silent logger, and an
 * outbox port that records what the core hands over (the real BullMQ outbox has its own tests).
 */
import { readFileSync } from 'node:fs';
import { fixedClock, type Clock } from '../../src/core/clock.js';
import type { Deps } from '../../src/core/deps.js';
import type { Outbound } from '../../src/core/outbound.js';
import type { OutboxPort } from '../../src/core/outbox-port.js';
import { silentLogger } from '../../src/log.js';
import { rosterSchema, type RosterData } from '../../src/roster/schema.js';
import { createRepos } from '../../src/repos.js';
import { RosterStore } from '../../src/roster/store.js';
import { parse } from 'yaml';
import type { TestRedis } from './redis.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';

export class RecordingOutbox implements OutboxPort {
  readonly queued: Outbound[] = [];
  async enqueue(messages: Outbound[]): Promise<void> {
    this.queued.push(...messages);
  }
}

/** The cadres of the sample roster's 新田乡, in roster order. */
export const XINTIAN = [
  'WangJianGuo',
  'LiXiaoYan',
  'ZhaoWenBo',
  'SunLiJuan',
  'ZhangZhiQiang',
  'LiuFang',
  'ChenHaoRan',
  'YangHaiTao',
  'GuoYongHong',
  'MaJunJie',
  'HeJing',
];

export function sampleRosterData(): RosterData {
  return rosterSchema.parse(parse(readFileSync('config/roster.sample.yaml', 'utf8')));
}

export function testDeps(
  t: TestRedis,
  opts: { clock?: Clock; outbox?: OutboxPort; policy?: Policy; calendar?: HolidayCalendar } = {},
): Deps {
  const clock = opts.clock ?? fixedClock('2026-11-18T09:00:00+08:00');
  return {
    redis: t.redis,
    keys: t.keys,
    repos: createRepos(t.redis, t.keys),
    clock,
    log: silentLogger,
    roster: new RosterStore(t.redis, t.keys, clock),
    outbox: opts.outbox ?? new RecordingOutbox(),
    publicUrl: 'http://127.0.0.1:3000',
    checkinLink: 'http://127.0.0.1:3000/checkin',
    policy: opts.policy ?? defaultPolicy(),
    calendar: opts.calendar ?? new HolidayCalendar(),
  };
}
