import { beforeAll, describe, expect, it } from 'vitest';
import myReports from '../../handlers/my-reports.js';
import report from '../../handlers/report.js';
import reportEdit from '../../handlers/report-edit.js';
import reportImage from '../../handlers/report-image.js';
import sixOnes from '../../handlers/six-ones.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { testBot, textUpdate } from '../helpers/bot.js';
import { sampleRosterData } from '../helpers/deps.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const policy = defaultPolicy();
policy.reports.editHours = 48;
policy.reports.photoMinutes = 30;
policy.reports.firstMonthDays = 60;
const { bot, clock, deps } = testBot(t, {
  commands: [report, reportImage, myReports, reportEdit, sixOnes],
  start: '2026-05-10T09:00:00+08:00',
  policy,
});

let seq = 0;
async function say(userId: string, text: string): Promise<string> {
  return (await bot.handle(textUpdate(`w${++seq}`, userId, text, clock.now()))).reply?.text ?? '';
}
const image = (userId: string) =>
  bot.handle({ ...textUpdate(`w${++seq}`, userId, '', clock.now()), kind: 'image', media: { mediaId: `M${seq}` } });

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
});

describe("the county's report windows", () => {
  it('takes corrections for as many hours as the policy says, and says that number', async () => {
    const saved = await say('MaJunJie', '汇报 #走访 3户 了解用种情况');
    expect(saved).toContain('30 分钟内在本聊天直接发送');
    expect(saved).toContain('48 小时内可用「修改汇报 编号 新内容」更正');
    const no = /H\d+/.exec(saved)![0];
    clock.advance(47 * HOUR);
    expect(await say('MaJunJie', `修改汇报 ${no} #走访 4户`)).toContain('已更正');
    clock.advance(2 * HOUR);
    expect(await say('MaJunJie', `修改汇报 ${no} #走访 5户`)).toContain('已超过 48 小时');
    expect(await say('MaJunJie', '我的汇报')).toContain('48 小时内可用');
  });

  it("attaches a photo within the policy's minutes, not after", async () => {
    const no = /H\d+/.exec(await say('SunLiJuan', '汇报 #实事 修好了路灯'))![0];
    clock.advance(25 * MINUTE);
    expect((await image('SunLiJuan')).reply?.text).toContain(`已附到汇报 ${no}`);
    clock.advance(10 * MINUTE);
    expect((await image('SunLiJuan')).reply?.text).toContain('再在 30 分钟内发送照片');
  });

  it('counts the first month of the 六个一 over the days the policy gives', async () => {
    // 卫思远's term starts on 2026-04-28: with 60 days the first month runs to 6月26日, not 5月27日.
    clock.set('2026-06-10T09:00:00+08:00');
    expect(await say('WeiSiYuan', '六个一')).toContain('第一个月到 6月26日，还剩 17 天');
  });
});
