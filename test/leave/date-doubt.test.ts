/**
 * Date-like words the parser cannot read whole lead to a question that quotes them, never to a guess: each
 * phrasing below was once filed as some other span (or as one day with the rest moved into the reason).
 */
import { describe, expect, it } from 'vitest';
import { parseLeaveRequest } from '../../src/leave/parse.js';
import { SUNDAY, types } from './parse-types.js';

/** The message, and a word the question must quote. */
const doubts: [string, string][] = [
  ['请假 事假 12月14日、16日', '16日'],
  ['事假 周二、周四', '周四'],
  ['事假 下周二四', '下周二四'],
  ['事假 11月23、25日', '25日'],
  ['请假 事假 12月14日 12月16日', '12月16日'],
  ['事假 明天 12月14日', '12月14日'],
  ['事假 14、16号', '16号'],
  ['事假 明天或者后天', '后天'],
  ['事假 月底', '月底'],
  ['事假 月初两天', '月初'],
  ['事假 下个月', '下个月'],
  ['事假 下周 家中有事', '下周'],
  ['事假 本周末', '周末'],
  ['事假 初三', '初三'],
  ['请假 事假 12月', '12月'],
  ['请假 事假 2月30日', '2月30日'],
  ['请假 事假 11.31', '11.31'],
  ['事假 三十五号', '三十五号'],
  ['事假 下下周', '下下周'],
  ['事假 明天 昨天没签到', '昨天'],
  ['事假 大年', '大年'],
  ['事假 闰四月初五', '闰四月初五'],
  ['事假 正月三十一', '正月三十一'],
  ['事假 周四周六', '周四周六'],
  ['事假 12月14日和16日', '16日'],
  ['事假 12月14日，12月16日', '12月16日'],
  ['事假 十二月十四、十六日', '十六日'],
  ['事假 周一、周三、周五', '周三'],
  ['事假 14号 16号', '16号'],
  ['事假 下周一 下周三', '下周三'],
  ['事假 下周一或周二', '周二'],
  ['事假 12月3日 回来后12月5日复查', '12月5日'],
  ['事假 星期二 星期四', '星期四'],
  ['事假 礼拜天 礼拜二', '礼拜二'],
  ['事假 11月下旬', '11月'],
  ['事假 节后', '节后'],
  ['事假 春节期间', '春节'],
  ['事假 十一月二十三、二十五日', '二十五日'],
  ['事假 12.14、12.16', '12.16'],
  ['事假 12/14 12/16', '12/16'],
  ['事假 后天 12月1日', '12月1日'],
  ['事假 明儿或后儿', '后儿'],
  ['事假 本月', '本月'],
  ['病假 12月14日 12月15日 12月17日', '12月17日'],
  ['事假 腊月', '腊月'],
  ['公差 下礼拜', '下礼拜'],
];

describe('date doubts on Sunday 22 November 2026', () => {
  it('has at least 40 phrasings', () => expect(doubts.length).toBeGreaterThanOrEqual(40));

  it.each(doubts)('%s asks about %s', (text, word) => {
    const p = parseLeaveRequest(text, { now: SUNDAY, types });
    expect(p.problem?.code).toBe('date_doubt');
    expect(p.problem?.message).toContain(word);
    expect(p.problem?.message).toMatch(/^“[^”]+”是指哪/);
    // The type stays for the answer; the doubtful words do not.
    expect(p.problem?.keep).toContain(p.type ?? '');
    expect(p.problem?.keep).not.toContain(word);
  });
});

describe('the answer to a question completes what was kept', () => {
  const parse = (text: string) => parseLeaveRequest(text, { now: SUNDAY, types });

  it('asks for the type and dates of 请个假 and reads the answer', () => {
    const p = parse('请个假');
    expect(p.problem).toMatchObject({ code: 'no_type', keep: '请个假' });
    expect(parse(`${p.problem!.keep} 事假 明天`)).toEqual({
      type: '事假',
      start: '2026-11-23',
      end: '2026-11-23',
      days: 1,
    });
  });

  it('quotes the doubtful words with an example in the one date style, and keeps type and reason', () => {
    const p = parse('请假 事假 12月14日、16日 回家');
    expect(p.problem).toEqual({
      code: 'date_doubt',
      message: '“12月14日、16日”是指哪几天？请写明请假的起止日期，如 11月23日至24日。',
      keep: '请假 事假 回家',
    });
    expect(parse(`${p.problem!.keep} 12月14日至16日`)).toMatchObject({
      type: '事假',
      start: '2026-12-14',
      end: '2026-12-16',
      reason: '回家',
    });
  });

  it('asks about 下下周 glued to a date it cannot read', () => {
    const p = parse('事假 下下下周一');
    expect(p.problem?.code).toBe('date_doubt');
    expect(p.problem?.message).toContain('下下下周一');
  });
});
