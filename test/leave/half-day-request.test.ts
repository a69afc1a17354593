/** A half-day leave through the bot: stored with its half, shown as 上午/下午, counted 0.5 on the card. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../helpers/redis.js';
import { leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 4 December 2026: tomorrow is a Saturday, next Monday is 12月7日.
const b = leaveBot(t, '2026-12-04T09:00:00+08:00');
beforeAll(() => b.setup());

function cardFields(no: string): Record<string, string> {
  const m = b.outbox.queued.find((q) => q.key === `leave:${no}:step:0`);
  if (!m || m.body.type !== 'card') throw new Error(`no approval card for ${no}`);
  return Object.fromEntries((m.body.card.fields ?? []).map((f) => [f.key, f.value]));
}

describe('half-day leave', () => {
  it('asks for a morning and shows it as such: 0.5 days, the township alone approves', async () => {
    const reply = (await b.say('LiXiaoYan', '请假 事假 12月7日上午 去县里办证'))?.text ?? '';
    expect(reply).toContain('事假 12月7日上午，0.5天');
    const [request] = await b.repo.ofUser('LiXiaoYan');
    expect(request).toMatchObject({ start: '2026-12-07', end: '2026-12-07', halfEnd: true });
    expect(request!.halfStart).toBeUndefined();
    expect(request!.steps.map((s) => s.kind)).toEqual(['township']);
    expect(cardFields(request!.no)).toMatchObject({ 日期: '12月7日上午', 天数: expect.stringContaining('0.5') });
  });

  it('shows an afternoon start and a morning end of a longer leave', async () => {
    const reply = (await b.say('ZhaoWenBo', '请假 事假 12月8日下午到10日上午 家中有事'))?.text ?? '';
    expect(reply).toContain('12月8日下午至10日上午，2天');
    const [request] = await b.repo.ofUser('ZhaoWenBo');
    expect(request).toMatchObject({ halfStart: true, halfEnd: true, days: 3 });
  });
});
