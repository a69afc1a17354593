/**
 * Packing older reports (src/reports/archive.ts, the retention job): every reader sees the same reports before and
 * after — a cadre's list, one report by number, the weekly digest's batch, the person export, a supervisor's
 * reading through the bot — only reports that can no longer be corrected nor get a photo are packed, a second
 * run changes nothing, and packing takes far less memory than the reports on their own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import report from '../../handlers/report.js';
import reportEdit from '../../handlers/report-edit.js';
import { personData } from '../../src/cli/person-data.js';
import type { Update } from '../../src/core/update.js';
import { retention } from '../../src/jobs/retention.js';
import { packBefore } from '../../src/jobs/retention-reports.js';
import { archiveField, pack, reportsOf, unpack, type StoredReport } from '../../src/reports/archive.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { testBot } from '../helpers/bot.js';

const t = useTestRedis();
const { bot, deps, clock } = testBot(t, { commands: [report, reportEdit], start: '2026-09-01T18:00:00+08:00' });

let seq = 0;
async function say(userId: string, text: string): Promise<string> {
  const update: Update = {
    id: `a${++seq}`,
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'text',
    text,
    time: clock.now(),
  };
  return (await bot.handle(update)).reply?.text ?? '';
}

const PHRASES = [
  '#走访 3户，了解冬季取暖和用电情况',
  '入户核对防返贫监测信息，王秀英家收入有所下降，已登记跟踪',
  '协调供电所修好村口路灯，群众晚上出行方便了',
  '召开村民说事会，商定村道硬化方案',
  '和村会计核对村集体收支，准备下月村务公开',
  '给村里党员讲了一次专题党课',
];
const ME = 'LiXiaoYan';

async function read() {
  const repo = deps.repos.reports;
  const all = await repo.ofUser(ME);
  const one = await Promise.all(all.map((r) => repo.get(r.no)));
  const batch = (await repo.ofUsers([ME, 'ZhouMingHui'])).get(ME);
  const exported = (await personData(t.redis, t.keys, await deps.roster.get(), ME, clock.now())).reports;
  return { all, one, batch, exported: [...(exported as StoredReport[])].sort((a, b) => a.no.localeCompare(b.no)) };
}

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  // A report every few days from September to the end of November, the last one corrected.
  for (let d = 0; d < 90; d += 4) {
    clock.set(new Date(Date.parse('2026-09-01T18:00:00+08:00') + d * 86_400_000));
    await say(ME, `汇报 ${PHRASES[d % PHRASES.length]}；${PHRASES[(d + 1) % PHRASES.length]}（第${d}天）`);
  }
  await say(ME, `修改汇报 ${(await deps.repos.reports.ofUser(ME))[0]!.no} #实事 改正后的内容`);
});

describe('the archive format', () => {
  it('packs and unpacks reports exactly, and a report on its own wins over an archived copy', () => {
    const a: StoredReport = {
      no: 'H1',
      userId: ME,
      text: PHRASES.join('；'),
      tags: ['走访'],
      households: 3,
      createdAt: '2026-01-02T10:00:00.000Z',
    };
    const b: StoredReport = {
      ...a,
      no: 'H2',
      text: '短',
      tags: [],
      households: 0,
      editedAt: '2026-01-03T10:00:00.000Z',
    };
    expect(unpack(pack([a, b]))).toEqual([a, b]);
    const changed = { ...b, text: '改过' };
    expect(reportsOf([pack([a, b]), JSON.stringify(changed)])).toEqual([a, changed]);
    expect(() => unpack('{"no":"H1"}')).toThrow(/not a report archive/);
  });

  it('packs a limit beyond the correction and photo windows', () => {
    const now = new Date('2026-12-02T03:00:00+08:00');
    const policy = defaultPolicy();
    expect(packBefore(now, policy.reports)).toBe('2026-11-30T18:50:00.000Z');
    // A county that allows corrections for 30 days: nothing younger than that is packed.
    const late = packBefore(now, { ...policy.reports, editHours: 720 });
    expect(Date.parse(late)).toBeLessThanOrEqual(now.getTime() - 720 * 3_600_000);
  });
});

describe('the retention job packs old reports', () => {
  it('keeps every reader seeing the same reports, packs only old ones, and a second run changes nothing', async () => {
    const before = await read();
    expect(before.all.length).toBe(23);
    const sizeBefore = Number(await t.redis.memory('USAGE', t.keys.reports(ME), 'SAMPLES', 0));

    const now = new Date('2026-12-01T03:00:00+08:00');
    const state = await retention.load(deps, now);
    const limit = state.reports.before;
    const old = before.all.filter((r) => r.createdAt < limit);
    expect(old.length).toBeGreaterThan(10);
    expect(state.reports.cadres).toEqual([{ userId: ME, reports: old.length }]);
    await retention.writes!.apply(deps, now, state);

    const fields = await t.redis.hkeys(t.keys.reports(ME));
    expect(fields).toContain(archiveField(2026));
    // What is younger than the limit stays on its own (it may still be corrected or get a photo).
    expect(fields.filter((f) => !f.startsWith('~')).sort()).toEqual(
      before.all
        .filter((r) => r.createdAt >= limit)
        .map((r) => r.no)
        .sort(),
    );
    expect(await read()).toEqual(before);
    // A supervisor reading through the bot sees the archived reports' text.
    expect(await say('LiZhenHua', '汇报 李晓燕 2026-09-01')).toContain('第0天');

    const sizeAfter = Number(await t.redis.memory('USAGE', t.keys.reports(ME), 'SAMPLES', 0));
    expect(sizeAfter).toBeLessThan(sizeBefore / 2);

    const again = await retention.load(deps, now);
    expect(again.reports.cadres).toEqual([]);
    const raw = await t.redis.hgetall(t.keys.reports(ME));
    await retention.writes!.apply(deps, now, again);
    expect(await t.redis.hgetall(t.keys.reports(ME))).toEqual(raw);

    // A month later the next reports join the same year's archive.
    const later = new Date('2027-01-05T03:00:00+08:00');
    await retention.writes!.apply(deps, later, await retention.load(deps, later));
    expect(await read()).toEqual(before);
    expect((await t.redis.hkeys(t.keys.reports(ME))).filter((f) => !f.startsWith('~'))).toEqual([]);
  });
});
