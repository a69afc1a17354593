/** The problem ledger's rules, pure: routing, the chain, targets of a hand-on, overdue, and their sentences. */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/policy/policy.js';
import { PROBLEM_ROUTES } from '../../src/policy/schema.js';
import {
  daysOpen,
  isOverdue,
  mayAct,
  mayRead,
  newProblem,
  problemRecipients,
  readNumbered,
  resolveTarget,
  withStep,
} from '../../src/problems/problem.js';
import { problemView } from '../../src/problems/view.js';
import { Roster } from '../../src/roster/roster.js';
import * as T from '../../templates/problems.js';
import { sampleRosterData } from '../helpers/deps.js';

const roster = new Roster(sampleRosterData());
const policy = defaultPolicy();
const cadre = roster.cadres.get('LiXiaoYan')!;
const NOW = new Date('2026-12-07T09:00:00+08:00');

function problem() {
  return newProblem('P1001', roster, cadre, '水渠渗漏', problemRecipients(policy, roster, cadre), NOW);
}

describe('routing and the chain', () => {
  it('sends to the 领队 and the township by default, the other contacts weekly, never the cadre', () => {
    expect(problemRecipients(policy, roster, cadre)).toEqual({
      routed: ['WangJianGuo', 'LiZhenHua', 'WangHaiYan'],
      listed: ['ZhaoGuoLiang', 'WuJianZhong', 'DuHongWei'],
    });
    const leader = roster.cadres.get('WangJianGuo')!;
    expect(problemRecipients(policy, roster, leader).routed).toEqual(['LiZhenHua', 'WangHaiYan']);
    const toAll = { problems: { ...policy.problems, routeTo: [...PROBLEM_ROUTES].filter((r) => r !== 'teamLeader') } };
    expect(problemRecipients(toAll, roster, cadre)).toEqual({
      routed: ['LiZhenHua', 'WangHaiYan', 'ZhaoGuoLiang', 'WuJianZhong', 'DuHongWei'],
      listed: [],
    });
  });

  it('lets the chain act and the readers read; a hand-on joins the chain', () => {
    const p = problem();
    expect(mayAct(p, 'WangJianGuo')).toBe(true);
    expect(mayAct(p, 'ZhaoGuoLiang')).toBe(true); // on the weekly list
    expect(mayAct(p, 'LiXiaoYan')).toBe(false); // the cadre adds, never answers their own problem
    expect(mayAct(p, 'PengXiaoJun')).toBe(false);
    expect(mayRead(p, roster, 'ZhaoWenBo')).toBe(true); // a cadre of the village
    expect(mayRead(p, roster, 'ChangXiaoMin')).toBe(true); // organisation department
    expect(mayRead(p, roster, 'ZhangGuoDong')).toBe(false); // another township
    const target = resolveTarget(roster, '县水利局');
    expect(target).toEqual({ target: { kind: 'unit', name: '县水利局', userIds: ['PengXiaoJun', 'JiangHuiFang'] } });
    const after = withStep(p, {
      kind: 'handover',
      by: 'LiZhenHua',
      at: NOW.toISOString(),
      to: (target as { target: never }).target,
    });
    expect(mayAct(after, 'PengXiaoJun')).toBe(true);
    expect(p.handedTo).toEqual([]); // the input is left as it is
  });
});

describe('targets of a hand-on', () => {
  it('takes a sending unit, a township by name or id, a person by name or userid; refuses anything else', () => {
    expect(resolveTarget(roster, '县财政局')).toMatchObject({
      target: { kind: 'unit', userIds: ['DuHongWei', 'LiuYaQin'] },
    });
    expect(resolveTarget(roster, '凤城乡')).toMatchObject({ target: { kind: 'township', userIds: ['ZhangGuoDong'] } });
    expect(resolveTarget(roster, 'gaocun')).toMatchObject({
      target: { name: '高村乡', userIds: ['LiuJianPing', 'MengQingLi'] },
    });
    expect(resolveTarget(roster, '钱洪波')).toEqual({
      target: { kind: 'person', name: '钱洪波', userIds: ['QianHongBo'] },
    });
    expect(resolveTarget(roster, 'QianHongBo')).toMatchObject({ target: { kind: 'person', userIds: ['QianHongBo'] } });
    expect(resolveTarget(roster, '县气象局')).toEqual({ refusal: 'unknown' });
    const twins = sampleRosterData();
    twins.people = [...(twins.people ?? []), { userid: 'QianHongBo2', name: '钱洪波' }];
    expect(resolveTarget(new Roster(twins), '钱洪波')).toEqual({ refusal: 'ambiguous' });
  });
});

describe('numbers and overdue', () => {
  it('reads a number with or without P, and the words after it', () => {
    expect(readNumbered('P1001 已联系')).toEqual({ no: 'P1001', words: '已联系' });
    expect(readNumbered('p1002')).toEqual({ no: 'P1002', words: '' });
    expect(readNumbered('1003 好')).toEqual({ no: 'P1003', words: '好' });
    expect(readNumbered('已联系')).toBeUndefined();
  });

  it('is overdue after more than the policy’s days, counted in Beijing days; a closed problem never is', () => {
    const p = problem();
    const at = (iso: string) => new Date(iso);
    expect(daysOpen(p, '2027-01-06')).toBe(30);
    expect(isOverdue(p, at('2027-01-06T23:59:00+08:00'), 30)).toBe(false);
    expect(isOverdue(p, at('2027-01-07T00:00:00+08:00'), 30)).toBe(true);
    const closed = withStep(p, { kind: 'close', by: 'WangJianGuo', at: NOW.toISOString(), text: '修好了' });
    expect(closed).toMatchObject({ status: 'closed', closedAt: NOW.toISOString() });
    expect(isOverdue(closed, at('2027-03-01T09:00:00+08:00'), 30)).toBe(false);
  });
});

describe('sentences', () => {
  it('writes the history of a handed-on problem step by step', () => {
    let p = problem();
    p = withStep(p, { kind: 'reply', by: 'WangJianGuo', at: '2026-12-07T02:00:00.000Z', text: '已联系乡水利站' });
    const target = (resolveTarget(roster, '县水利局') as { target: never }).target;
    p = withStep(p, { kind: 'handover', by: 'LiZhenHua', at: '2026-12-08T02:00:00.000Z', to: target });
    const text = T.handoverMessage(problemView(roster, p, NOW), '李振华', '县水利局');
    expect(text.split('\n')).toEqual([
      '【民情问题 P1001 转办】李振华 将 新田乡北堡村 李晓燕 反映的问题转给 县水利局 办理：',
      '水渠渗漏',
      '办理经过：',
      '12月7日 09:00 李晓燕 提出：水渠渗漏',
      '12月7日 10:00 王建国 回复：已联系乡水利站',
      '12月8日 10:00 李振华 转办给 县水利局',
      '可发送「回复 P1001 内容」「转办 P1001 单位或姓名」「办结 P1001 办理结果」。',
    ]);
  });

  it('shows a problem’s text in a digest only when it is given', () => {
    const line = { no: 'P1001', village: '北堡村', cadreName: '李晓燕', days: 32 };
    expect(T.dailyOverdue('新田乡', '2027-01-11', [line], 30)).toContain('P1001\u3000北堡村 李晓燕（已 32 天）\n');
    expect(T.weeklyList([{ ...line, text: '水渠渗漏' }])).toContain('（已 32 天）：水渠渗漏');
  });
});
