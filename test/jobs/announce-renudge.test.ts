import { beforeAll, describe, expect, it } from 'vitest';
import { cardIds, READ_ACTION, type Announcement } from '../../src/announce/announcement.js';
import { AnnounceRepo } from '../../src/announce/repo.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Outbound } from '../../src/core/outbound.js';
import { announceRenudge, isDue } from '../../src/jobs/announce-renudge.js';
import { Tx } from '../../src/redis/tx.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { RunResult } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { RecordingOutbox, sampleRosterData, testDeps, XINTIAN } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { card as announceCard, readLabel } from '../../templates/announce.js';

const t = useTestRedis();
const outbox = new RecordingOutbox();
const repo = new AnnounceRepo(t.redis, t.keys);

function announcement(no: string, createdAt: string, recipients: string[]): Announcement {
  return {
    no,
    text: '本周五下午三点在县委党校召开驻村工作推进会，请准时参加。',
    scope: { kind: 'township', id: 'xintian', name: '新田乡' },
    sender: 'ChangXiaoMin',
    senderName: '常晓敏',
    createdAt: new Date(`${createdAt}+08:00`).toISOString(),
    recipients,
  };
}
async function runAt(iso: string, dryRun = false): Promise<RunResult> {
  const ctx = testDeps(t, { clock: fixedClock(new Date(`${iso}+08:00`)), outbox });
  return new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0)).runManual(
    announceRenudge,
    { dryRun },
  );
}
const keys = (r: RunResult) => r.sent.map((m) => m.key).sort();
const find = (r: RunResult, key: string): Outbound | undefined => r.sent.find((m) => m.key === key);

beforeAll(async () => {
  await testDeps(t).roster.replace(sampleRosterData());
  const tx = new Tx();
  repo.save(tx, announcement('N1001', '2026-11-17T09:00:00', XINTIAN));
  for (const u of XINTIAN.slice(3)) repo.markRead(tx, 'N1001', u, new Date('2026-11-17T10:00:00+08:00'));
  // Due at 22:30, in quiet hours.
  repo.save(tx, announcement('N1002', '2026-11-17T22:30:00', ['WangJianGuo', 'LiXiaoYan']));
  // Read by everyone.
  repo.save(tx, announcement('N1003', '2026-11-17T08:00:00', ['HeJing']));
  repo.markRead(tx, 'N1003', 'HeJing', new Date('2026-11-17T08:05:00+08:00'));
  // Due long ago.
  repo.save(tx, announcement('N1004', '2026-11-10T09:00:00', ['HeJing']));
  await tx.commit(t.redis);
});

describe('announce-renudge', () => {
  it('waits for the policy delay', async () => {
    expect((await runAt('2026-11-18T08:59:00')).sent).toEqual([]);
    const a = (await repo.get('N1001'))!;
    expect(isDue(a, new Date('2026-11-18T09:00:00+08:00'), 24, 48)).toBe(true);
    expect(isDue(a, new Date('2026-11-18T08:59:59+08:00'), 24, 48)).toBe(false);
    expect(isDue(a, new Date('2026-11-20T09:00:01+08:00'), 24, 48)).toBe(false);
  });

  it('a dry run sends and marks nothing', async () => {
    const r = await runAt('2026-11-18T09:10:00', true);
    expect(keys(r)).toEqual(['announce-renudge:N1001', 'announce-renudge:N1001:report']);
    expect(r.notes).toEqual(['mark N1001 re-nudged (3 of 11 unread)']);
    expect((await repo.get('N1001'))!.renudgedAt).toBeUndefined();
  });

  it('re-nudges the unread once with a 已阅 card, and tells the sender who has not read it', async () => {
    const r = await runAt('2026-11-18T09:10:00');
    expect(keys(r)).toEqual(['announce-renudge:N1001', 'announce-renudge:N1001:report']);
    const card = find(r, 'announce-renudge:N1001')!;
    expect(card).toMatchObject({
      purpose: 'announcement',
      to: { kind: 'user', userIds: ['WangJianGuo', 'LiXiaoYan', 'ZhaoWenBo'] },
    });
    expect(card.body).toMatchObject({
      type: 'card',
      card: {
        kind: 'button_interaction',
        taskId: 'ann-N1001-again',
        buttons: [{ text: '已阅', key: `${READ_ACTION}:N1001` }],
      },
    });
    // The same button as the announcement's own card, label from the announcement's templates.
    const original = announceCard((await repo.get('N1001'))!, cardIds('N1001'));
    expect(card.body.type === 'card' && card.body.card.buttons).toEqual(original.buttons);
    expect(card.body.type === 'card' && card.body.card.buttons?.[0]?.text).toBe(readLabel);
    const description = card.body.type === 'card' ? (card.body.card.description ?? '') : '';
    expect(description).toContain('常晓敏于 11月17日 09:00 发出的通知您还没有确认');
    expect(description).toContain('阅后请点「已阅」或回复「收到 N1001」');
    expect(description.split('\n').at(-1)).toBe(
      '（为什么收到：通知发出 24 小时后仍未确认的同志会再收到一次提醒，只提醒这一次。）',
    );

    const report = find(r, 'announce-renudge:N1001:report')!;
    expect(report).toMatchObject({ purpose: 'digest', to: { kind: 'user', userIds: ['ChangXiaoMin'] } });
    const text = report.body.type === 'text' ? report.body.content : '';
    expect(text).toContain('发出 24 小时后已阅 8/11，未阅 3 人，已再次提醒：');
    expect(text).toContain('【新田乡】王建国、李晓燕、赵文博');
    expect((await repo.get('N1001'))!.renudgedAt).toBe(new Date('2026-11-18T09:10:00+08:00').toISOString());
    expect((await runAt('2026-11-18T09:20:00')).sent).toEqual([]);
  });

  it('waits out quiet hours, then sends', async () => {
    const night = await runAt('2026-11-18T22:40:00');
    expect(night.sent).toEqual([]);
    expect((await repo.get('N1002'))!.renudgedAt).toBeUndefined();
    const morning = await runAt('2026-11-19T07:30:00');
    expect(keys(morning)).toEqual(['announce-renudge:N1002', 'announce-renudge:N1002:report']);
  });

  it('leaves alone announcements read by all, and those due long ago', async () => {
    expect((await runAt('2026-11-19T12:00:00')).sent).toEqual([]);
    expect((await repo.get('N1003'))!.renudgedAt).toBeUndefined();
    expect((await repo.get('N1004'))!.renudgedAt).toBeUndefined();
  });
});
