/**
 * An assessment round (考评) through the bot core on real Redis: opening, 述职, grades by chat and card, the
 * villagers' 评议 (codes answered once, paper ballots), the formula's proposals within the 优秀 quota, a changed
 * grade and its reason, 公示 with 复核 inside and refused after, closing, and the read-only round.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assessCommands } from '../../handlers/assess.js';
import { answerWithCode } from '../../src/assess/service.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { testBot } from '../helpers/bot.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
// Tuesday 1 December 2026.
const b = testBot(t, { commands: assessCommands, start: '2026-12-01T09:00:00+08:00' });
beforeAll(() => b.setup());

const ORG = 'WuJianZhong';
const TOWNSHIP = 'LiZhenHua';
/** 县财政局's main leader (王建国, 李晓燕), 县人社局's (赵文博, 孙丽娟), 县水利局's (郭永红, 马俊杰), 县交通局's (何静). */
const UNIT: Record<string, string> = {
  王建国: 'DuHongWei',
  李晓燕: 'DuHongWei',
  赵文博: 'HuangZhiYong',
  孙丽娟: 'HuangZhiYong',
  郭永红: 'PengXiaoJun',
  马俊杰: 'PengXiaoJun',
  何静: 'CaiZhenYu',
};

const codesOf = (text: string) => [...text.matchAll(/^\d+\. (\S+)$/gm)].map((m) => m[1]!);

describe('an assessment round', () => {
  it('runs from opening to a read-only close', async () => {
    const repo = b.deps.repos.assess;
    // Refusals first: not the org department, unknown scope.
    expect(await b.ask(TOWNSHIP, '考评 开始 2026年度考评 全部')).toContain('仅供县委组织部使用');
    expect(await b.ask(ORG, '考评 开始 2026年度考评 北堡村 月亮村')).toContain('月亮村');
    expect(await repo.current()).toBeUndefined();

    expect(await b.ask(ORG, '考评 开始 2026年度考评 北堡村 柳河村')).toContain('共7名干部、2个村');
    const round = (await repo.current())!;
    expect(round.cadres).toHaveLength(7);
    // Rating cards went to the units' leaders and the township's supervisors.
    const cards = b.outbox.queued.filter((m) => m.body.type === 'card');
    expect(cards.some((m) => m.to.kind === 'user' && m.to.userIds[0] === 'DuHongWei')).toBe(true);
    expect(cards.some((m) => m.to.kind === 'user' && m.to.userIds[0] === TOWNSHIP)).toBe(true);
    expect(await b.ask(ORG, '考评 开始 另一轮 全部')).toContain('尚未结束');

    // 述职 by the cadre; a file sent next is attached.
    expect(await b.ask('LiXiaoYan', '述职 一年来走访农户120户，推动修路一条。')).toContain('已收到');
    expect((await repo.entry(round.id, 'LiXiaoYan'))?.summary?.text).toBe('一年来走访农户120户，推动修路一条。');

    // A unit leader grades someone else's cadre: refused. The township by card, the unit and the org by chat.
    expect(await b.ask('DuHongWei', '评定 赵文博 优秀 很好')).toContain('不能评定');
    expect(await b.ask(TOWNSHIP, '评定 李晓燕 特优 很好')).toContain('等次只能是');
    const clicked = await b.click(TOWNSHIP, 'assess-rate:LiXiaoYan:优秀', `assess-${round.id}-LiXiaoYan-township`);
    expect(clicked?.text).toBe('已记录乡镇（街道）对李晓燕的评定：优秀。');
    expect(clicked?.replaceButton).toBe('优秀');

    // Every cadre graded: 李晓燕 and 王建国 all 优秀, the others 称职, 何静 基本称职.
    const grade = (name: string) =>
      name === '李晓燕' || name === '王建国' ? '优秀' : name === '何静' ? '基本称职' : '称职';
    for (const name of Object.keys(UNIT)) {
      expect(await b.ask(UNIT[name]!, `评定 ${name} ${grade(name)} 单位意见`)).toContain('已记录派出单位');
      if (name !== '李晓燕') expect(await b.ask(TOWNSHIP, `评定 ${name} ${grade(name)} 乡镇意见`)).toContain('已记录');
      expect(await b.ask(ORG, `评定 ${name} ${grade(name)} 组织部意见`)).toContain('已记录组织部');
    }

    // 评议 of 北堡村: codes printed by the township, answered once each; paper ballots for 柳河村.
    expect(await b.ask('ZhangGuoDong', '评议码 北堡村 3')).toContain('只有北堡村所在乡镇（街道）');
    const printed = await b.ask(TOWNSHIP, '评议码 北堡村 3');
    expect(printed).toContain('http://127.0.0.1:3000/pingyi/beibao');
    const codes = codesOf(printed);
    expect(codes).toHaveLength(3);
    const answer = (code: string, village = 'beibao') =>
      answerWithCode({ redis: t.redis, repo }, { village, code, answer: '满意', now: b.clock.now() });
    expect((await answer(codes[0]!)).kind).toBe('answered');
    expect((await answer(codes[0]!)).kind).toBe('used');
    expect((await answer(codes[1]!.toLowerCase().replace('-', ' '))).kind).toBe('answered');
    expect((await answer(codes[2]!, 'liuhe')).kind).toBe('other-village');
    expect((await answer('ZZZZ-ZZZZZZ')).kind).toBe('unknown');
    expect(await b.ask(TOWNSHIP, '纸质评议 柳河村 满意 8 基本满意 1 不满意 1')).toBe(
      '已录入柳河村纸质评议票：满意8，基本满意1，不满意1。',
    );
    expect(await b.ask(TOWNSHIP, '纸质评议 柳河村 满意 八')).toContain('格式不对');
    const tallies = await repo.tallies(round.id);
    expect(tallies.get('beibao')?.page).toEqual({ 满意: 2, 基本满意: 0, 不满意: 0 });
    expect(tallies.get('liuhe')?.paper).toEqual({ 满意: 8, 基本满意: 1, 不满意: 1 });

    // The formula: 北堡村 (评议 100): 王建国 and 李晓燕 both score 96 → tied over a quota of 1 (7 × 20%),
    // so both are proposed 称职 and left to the org department; 赵文博 88; 柳河村 (评议 (800+80+40)/10 = 92)
    // 郭永红 86.4, 何静 (70 × 80 + 92 × 20) / 100 = 74.4 → 基本称职.
    const progress = await b.ask(ORG, '考评');
    expect(progress).toContain('优秀名额1个');
    expect(progress).toContain('王建国：已述职'.replace('已述职', '未述职'));
    expect(progress).toContain('建议称职（96分，超出优秀名额）');
    expect(progress).toContain(
      '何静：未述职；派出单位基本称职，乡镇（街道）基本称职，组织部基本称职；建议基本称职（74.4分）',
    );
    // Listed by village then name, never by score.
    const names = progress
      .split('\n')
      .slice(1)
      .map((l) => l.split('：')[0]!.split('\u3000')[1]);
    expect(names).toEqual(['李晓燕', '孙丽娟', '王建国', '赵文博', '郭永红', '何静', '马俊杰']);

    // 确定 and 改定: a change needs its reason; the quota holds.
    expect(await b.ask(ORG, '确定 赵文博')).toBe('已确定赵文博的考评等次：称职。');
    expect(await b.ask(ORG, '确定 李晓燕 优秀')).toContain('须写明理由');
    expect(await b.ask(ORG, '改定 李晓燕 优秀')).toContain('须写明理由');
    expect(await b.ask(ORG, '改定 李晓燕 称职 理由')).toContain('请用“确定”');
    expect(await b.ask(ORG, '改定 李晓燕 优秀 群众评议突出，述职扎实')).toBe(
      '已将李晓燕的考评等次由建议的称职改定为优秀，理由：群众评议突出，述职扎实。',
    );
    const changed = (await repo.entry(round.id, 'LiXiaoYan'))!.final!;
    expect(changed).toMatchObject({
      grade: '优秀',
      proposed: '称职',
      score: 96,
      reason: '群众评议突出，述职扎实',
      by: ORG,
    });
    expect(await b.ask(ORG, '改定 王建国 优秀 同样突出')).toContain('优秀等次已达上限');
    expect(await b.ask(ORG, '考评 公示')).toContain('尚未确定等次');
    for (const name of ['王建国', '孙丽娟', '郭永红', '马俊杰', '何静'])
      expect(await b.ask(ORG, `确定 ${name}`)).toContain('已确定');

    // 公示: five working days from Tuesday 1 December: 1–7 December. 复核 inside it, answered by the org.
    expect(await b.ask('LiXiaoYan', '复核 理由')).toContain('不在公示期内');
    expect(await b.ask(ORG, '考评 公示')).toContain('进入公示');
    expect(await repo.current()).toMatchObject({
      status: 'public',
      publicFrom: '2026-12-01',
      publicUntil: '2026-12-07',
    });
    expect(b.outbox.queued.some((m) => m.key === `assess-public:${round.id}:HeJing`)).toBe(true);
    expect(await b.ask(TOWNSHIP, '评定 何静 称职 晚了')).toContain('公示中');
    b.clock.advance(2 * DAY);
    expect(await b.ask('HeJing', '复核 群众评议只统计了纸质票')).toBe('复核申请已提交，组织部答复后会通知您。');
    expect(await b.ask('HeJing', '复核 再说一次')).toContain('正在等待');
    expect(await b.ask(ORG, '考评 结束')).toContain('公示期满后');
    expect(await b.ask(ORG, '复核答复 何静 称职 经核实，改为称职')).toBe('已答复何静的复核申请，等次：称职。');
    expect((await repo.entry(round.id, 'HeJing'))!.final).toMatchObject({ grade: '称职', reason: '经核实，改为称职' });

    // After 公示: 复核 refused, the round closes and is read-only.
    b.clock.advance(5 * DAY + HOUR);
    expect(await b.ask('MaJunJie', '复核 太晚了')).toContain('不在公示期内');
    expect(await b.ask(ORG, '考评 结束')).toContain('已结束');
    expect(await b.ask('LiXiaoYan', '述职 补充')).toContain('记录只读');
    expect(await b.ask(ORG, '改定 何静 优秀 理由')).toContain('记录只读');
    expect((await answer(codes[2]!)).kind).toBe('no-round');
    expect((await repo.latest())?.status).toBe('closed');
  });
});
