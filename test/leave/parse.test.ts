import { describe, expect, it } from 'vitest';
import { looksLikeLeave, parseLeaveRequest, type LeaveParse, type LeaveTypeOption } from '../../src/leave/parse.js';

const types: LeaveTypeOption[] = [
  { name: '事假' },
  { name: '病假' },
  { name: '婚假' },
  { name: '丧假' },
  { name: '产假' },
  { name: '陪产假' },
  { name: '公差', aliases: ['因公外出', '出差'] },
  { name: '培训' },
  { name: '会议', aliases: ['开会'] },
];

// Sunday 22 November 2026, 10:00 in Shanghai. Weeks start on Monday, so 明天 and 下周一 are both Monday 23
// November (the week starting 23 November is 下周), while 本周五/这周五 is Friday 20 November, two days ago.
const SUNDAY = new Date('2026-11-22T10:00:00+08:00');
// Wednesday 25 November 2026: 本周五 is 27 November and 下周一 is 30 November.
const WEDNESDAY = new Date('2026-11-25T09:00:00+08:00');

interface Expected {
  type?: string;
  start?: string;
  end?: string;
  days?: number;
  reason?: string;
  problem?: string;
}

function shape(p: LeaveParse): Expected {
  const { problem, ...rest } = p;
  return problem ? { ...rest, problem: problem.code } : rest;
}

const cases: [string, Expected][] = [
  // The examples.
  [
    '请假 事假 11月25日至27日 家中有事',
    { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason: '家中有事' },
  ],
  ['明天请一天病假 感冒发烧', { type: '病假', start: '2026-11-23', end: '2026-11-23', days: 1, reason: '感冒发烧' }],
  [
    '请假 12.1-12.3 培训 县委党校',
    { type: '培训', start: '2026-12-01', end: '2026-12-03', days: 3, reason: '县委党校' },
  ],
  [
    '下周一到周三 公差 去市里开会',
    { type: '公差', start: '2026-11-23', end: '2026-11-25', days: 3, reason: '去市里开会' },
  ],
  // Date forms chrono needed help with.
  ['请假 事假 25号 家中有事', { type: '事假', start: '2026-11-25', end: '2026-11-25', days: 1, reason: '家中有事' }],
  ['请假 事假 20号', { type: '事假', start: '2026-11-20', end: '2026-11-20', days: 1 }],
  ['请假 事假 3号 办证', { type: '事假', start: '2026-12-03', end: '2026-12-03', days: 1, reason: '办证' }],
  [
    '请假 11/25-11/27 事假 家中有事',
    { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason: '家中有事' },
  ],
  ['请假 11/25-27 事假', { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3 }],
  ['请假 事假 12.1', { type: '事假', start: '2026-12-01', end: '2026-12-01', days: 1 }],
  ['请假 事假 12.1—12.3', { type: '事假', start: '2026-12-01', end: '2026-12-03', days: 3 }],
  [
    '十一月二十五日到二十七日 事假 回老家',
    { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason: '回老家' },
  ],
  ['十二月一号 病假 复查', { type: '病假', start: '2026-12-01', end: '2026-12-01', days: 1, reason: '复查' }],
  [
    '请假 事假 11月25日～27日 家中有事',
    { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason: '家中有事' },
  ],
  ['11月25日-27日 事假', { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3 }],
  [
    '请假 事假 2026年12月3日 办理证件',
    { type: '事假', start: '2026-12-03', end: '2026-12-03', days: 1, reason: '办理证件' },
  ],
  ['请假 事假 2026-12-03', { type: '事假', start: '2026-12-03', end: '2026-12-03', days: 1 }],
  // Relative days and weekdays.
  ['明天起三天 事假 照顾老人', { type: '事假', start: '2026-11-23', end: '2026-11-25', days: 3, reason: '照顾老人' }],
  [
    '从明天开始请两天 事假 照顾老人',
    { type: '事假', start: '2026-11-23', end: '2026-11-24', days: 2, reason: '照顾老人' },
  ],
  ['请两天假 事假 明天开始', { type: '事假', start: '2026-11-23', end: '2026-11-24', days: 2 }],
  ['请病假一周 明天起 住院', { type: '病假', start: '2026-11-23', end: '2026-11-29', days: 7, reason: '住院' }],
  ['两周 产假 12月1日起', { type: '产假', start: '2026-12-01', end: '2026-12-14', days: 14 }],
  ['请假 陪产假 下周一起15天', { type: '陪产假', start: '2026-11-23', end: '2026-12-07', days: 15 }],
  ['明天上午请半天假 病假 去医院', { type: '病假', start: '2026-11-23', end: '2026-11-23', days: 1, reason: '去医院' }],
  ['今天 病假 发烧', { type: '病假', start: '2026-11-22', end: '2026-11-22', days: 1, reason: '发烧' }],
  ['后天 事假', { type: '事假', start: '2026-11-24', end: '2026-11-24', days: 1 }],
  ['大后天 丧假 奔丧', { type: '丧假', start: '2026-11-25', end: '2026-11-25', days: 1, reason: '奔丧' }],
  ['今明两天 事假', { type: '事假', start: '2026-11-22', end: '2026-11-23', days: 2 }],
  ['明后天 事假 回家', { type: '事假', start: '2026-11-23', end: '2026-11-24', days: 2, reason: '回家' }],
  ['本周五 事假', { type: '事假', start: '2026-11-20', end: '2026-11-20', days: 1 }],
  ['这周五 事假', { type: '事假', start: '2026-11-20', end: '2026-11-20', days: 1 }],
  ['周五 事假', { type: '事假', start: '2026-11-27', end: '2026-11-27', days: 1 }],
  ['下周一 事假', { type: '事假', start: '2026-11-23', end: '2026-11-23', days: 1 }],
  ['下周三到周一 公差', { type: '公差', start: '2026-11-25', end: '2026-11-30', days: 6 }],
  [
    '请假 出差 下周一至下周五 赴省里',
    { type: '公差', start: '2026-11-23', end: '2026-11-27', days: 5, reason: '赴省里' },
  ],
  // Across months and years; a month without a year.
  ['11月29日至12月2日 婚假', { type: '婚假', start: '2026-11-29', end: '2026-12-02', days: 4 }],
  ['12月30日到1月2日 事假 探亲', { type: '事假', start: '2026-12-30', end: '2027-01-02', days: 4, reason: '探亲' }],
  ['1月5日 事假', { type: '事假', start: '2027-01-05', end: '2027-01-05', days: 1 }],
  // Type words: an alias only when it stands alone, a canonical name anywhere.
  ['下周一至周三出差', { type: '公差', start: '2026-11-23', end: '2026-11-25', days: 3 }],
  ['11月25日至27日请事假 回家', { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason: '回家' }],
  ['申请事假 明天', { type: '事假', start: '2026-11-23', end: '2026-11-23', days: 1 }],
  [
    '请假 会议 明天 参加县里培训',
    { type: '会议', start: '2026-11-23', end: '2026-11-23', days: 1, reason: '参加县里培训' },
  ],
  ['明天 去县里参加培训', { type: '培训', start: '2026-11-23', end: '2026-11-23', days: 1, reason: '去县里参加培训' }],
  // Width, spacing, punctuation and labels.
  [
    '请假 事假 １１月２５日 家中有事，急',
    { type: '事假', start: '2026-11-25', end: '2026-11-25', days: 1, reason: '家中有事，急' },
  ],
  [
    '  请假   事假    11月25日   至  27日    家中有事  ',
    { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason: '家中有事' },
  ],
  [
    '请假，事假，11月25日至27日，家中有事。',
    { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason: '家中有事' },
  ],
  [
    '请假 事假 11月25日 事由：家中有事',
    { type: '事假', start: '2026-11-25', end: '2026-11-25', days: 1, reason: '家中有事' },
  ],
  [
    '请假 事假 明天 去3号楼办事',
    { type: '事假', start: '2026-11-23', end: '2026-11-23', days: 1, reason: '去3号楼办事' },
  ],
  ['明天 病假 发烧38.5度', { type: '病假', start: '2026-11-23', end: '2026-11-23', days: 1, reason: '发烧38.5度' }],
  // Problems: the fields that were read are kept.
  ['请假 明天 家中有事', { start: '2026-11-23', end: '2026-11-23', days: 1, reason: '家中有事', problem: 'no_type' }],
  ['请假 年假 明天', { start: '2026-11-23', end: '2026-11-23', days: 1, problem: 'unknown_type' }],
  [
    '请假 探亲 11月25日至27日 回老家',
    { start: '2026-11-25', end: '2026-11-27', days: 3, reason: '回老家', problem: 'unknown_type' },
  ],
  ['请假 11月27日至25日 事假', { type: '事假', start: '2026-11-27', end: '2026-11-25', problem: 'end_before_start' }],
  ['请假 事假 家中有事', { type: '事假', reason: '家中有事', problem: 'no_dates' }],
  ['请一天病假 感冒发烧', { type: '病假', days: 1, reason: '感冒发烧', problem: 'no_dates' }],
  ['请假 事假 12月', { type: '事假', reason: '12月', problem: 'date_doubt' }],
  ['请假 事假 2月30日', { type: '事假', reason: '2月30日', problem: 'date_doubt' }],
  ['请假 事假 11.31', { type: '事假', reason: '11.31', problem: 'date_doubt' }],
];

// Phrasings from the field trial: colloquial, lunar, ranges and lists without 至, typos, full-width digits.
const fieldCases: [string, Expected][] = [
  ['后儿个请个事假', { type: '事假', start: '2026-11-24', end: '2026-11-24', days: 1 }],
  ['明儿个 病假 看病', { type: '病假', start: '2026-11-23', end: '2026-11-23', days: 1, reason: '看病' }],
  ['今儿个 事假', { type: '事假', start: '2026-11-22', end: '2026-11-22', days: 1 }],
  ['事假 大后儿', { type: '事假', start: '2026-11-25', end: '2026-11-25', days: 1 }],
  ['我想请个病假 明天', { type: '病假', start: '2026-11-23', end: '2026-11-23', days: 1 }],
  ['请个事假 后天', { type: '事假', start: '2026-11-24', end: '2026-11-24', days: 1 }],
  ['请个假 事假 明天', { type: '事假', start: '2026-11-23', end: '2026-11-23', days: 1 }],
  ['后天起请三天事假', { type: '事假', start: '2026-11-24', end: '2026-11-26', days: 3 }],
  ['想请两天假回趟家', { days: 2, reason: '回趟家', problem: 'no_type' }],
  ['明天到后天 事假', { type: '事假', start: '2026-11-23', end: '2026-11-24', days: 2 }],
  ['下个礼拜一 事假', { type: '事假', start: '2026-11-23', end: '2026-11-23', days: 1 }],
  ['下礼拜三到礼拜五 公差', { type: '公差', start: '2026-11-25', end: '2026-11-27', days: 3 }],
  // The misreadings of the trial, now read whole.
  ['下下周一到周三 公差', { type: '公差', start: '2026-11-30', end: '2026-12-02', days: 3 }],
  ['周四周五 事假', { type: '事假', start: '2026-11-26', end: '2026-11-27', days: 2 }],
  ['下周二三 事假', { type: '事假', start: '2026-11-24', end: '2026-11-25', days: 2 }],
  ['11月23、24日 事假', { type: '事假', start: '2026-11-23', end: '2026-11-24', days: 2 }],
  ['12月14日 12月15日 事假', { type: '事假', start: '2026-12-14', end: '2026-12-15', days: 2 }],
  ['星期四、星期五 事假', { type: '事假', start: '2026-11-26', end: '2026-11-27', days: 2 }],
  ['事假 周二到四', { type: '事假', start: '2026-11-24', end: '2026-11-26', days: 3 }],
  ['下下个星期二 事假', { type: '事假', start: '2026-12-01', end: '2026-12-01', days: 1 }],
  // Ranges without 至.
  ['14-15号 事假', { type: '事假', start: '2026-12-14', end: '2026-12-15', days: 2 }],
  ['14到15号 事假', { type: '事假', start: '2026-12-14', end: '2026-12-15', days: 2 }],
  ['十四至十五日 事假', { type: '事假', start: '2026-12-14', end: '2026-12-15', days: 2 }],
  ['23、24号 病假 输液', { type: '病假', start: '2026-11-23', end: '2026-11-24', days: 2, reason: '输液' }],
  ['12.14-16 事假', { type: '事假', start: '2026-12-14', end: '2026-12-16', days: 3 }],
  ['请假 婚假 12月1号-12月10号', { type: '婚假', start: '2026-12-01', end: '2026-12-10', days: 10 }],
  ['事假 廿五号', { type: '事假', start: '2026-11-25', end: '2026-11-25', days: 1 }],
  ['事假 12月14日（周一）', { type: '事假', start: '2026-12-14', end: '2026-12-14', days: 1 }],
  ['12月14日（周一）至16日（周三）事假', { type: '事假', start: '2026-12-14', end: '2026-12-16', days: 3 }],
  // Lunar dates: the coming 春节 is 6 February 2027.
  [
    '腊月二十八到正月初六 事假 回家过年',
    { type: '事假', start: '2027-02-04', end: '2027-02-11', days: 8, reason: '回家过年' },
  ],
  ['腊月二十八到初六 事假', { type: '事假', start: '2027-02-04', end: '2027-02-11', days: 8 }],
  ['除夕 事假', { type: '事假', start: '2027-02-05', end: '2027-02-05', days: 1 }],
  ['大年三十 事假 回老家', { type: '事假', start: '2027-02-05', end: '2027-02-05', days: 1, reason: '回老家' }],
  ['大年初三 事假', { type: '事假', start: '2027-02-08', end: '2027-02-08', days: 1 }],
  ['正月初六 事假', { type: '事假', start: '2027-02-11', end: '2027-02-11', days: 1 }],
  ['农历十二月初八 事假', { type: '事假', start: '2027-01-15', end: '2027-01-15', days: 1 }],
  ['正月初三到初五 事假', { type: '事假', start: '2027-02-08', end: '2027-02-10', days: 3 }],
  // Typos and full width.
  ['11月25日致27日 事假', { type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3 }],
  ['请假 病价 明天', { start: '2026-11-23', end: '2026-11-23', days: 1, problem: 'unknown_type' }],
  ['病价 明天 发烧', { start: '2026-11-23', end: '2026-11-23', days: 1, reason: '病价 发烧', problem: 'no_type' }],
  ['事假 １４－１５号', { type: '事假', start: '2026-12-14', end: '2026-12-15', days: 2 }],
  ['请假 事假 12月１日', { type: '事假', start: '2026-12-01', end: '2026-12-01', days: 1 }],
  [
    '请假，事假，１２月１４日至１６日，回家',
    { type: '事假', start: '2026-12-14', end: '2026-12-16', days: 3, reason: '回家' },
  ],
  // Half days written while the policy has none: whole days, no question.
  ['周五下午 事假', { type: '事假', start: '2026-11-27', end: '2026-11-27', days: 1 }],
  ['事假 3号下午到5号上午', { type: '事假', start: '2026-12-03', end: '2026-12-05', days: 3 }],
  ['请半天假 明天 事假', { type: '事假', start: '2026-11-23', end: '2026-11-23', days: 1 }],
];

describe('parseLeaveRequest on Sunday 22 November 2026', () => {
  it.each([...cases, ...fieldCases])('%s', (text, expected) => {
    expect(shape(parseLeaveRequest(text, { now: SUNDAY, types }))).toEqual(expected);
  });
});

describe('parseLeaveRequest on other days', () => {
  it('reads weeks from Monday on a Wednesday', () => {
    const on = (text: string) => shape(parseLeaveRequest(text, { now: WEDNESDAY, types }));
    expect(on('本周五 事假')).toEqual({ type: '事假', start: '2026-11-27', end: '2026-11-27', days: 1 });
    expect(on('下周一到周三 公差')).toEqual({ type: '公差', start: '2026-11-30', end: '2026-12-02', days: 3 });
    expect(on('周一 事假')).toEqual({ type: '事假', start: '2026-11-30', end: '2026-11-30', days: 1 });
  });

  it('takes the day from Shanghai time, just after midnight and just before', () => {
    const early = parseLeaveRequest('明天 事假', { now: new Date('2026-11-22T00:30:00+08:00'), types });
    const late = parseLeaveRequest('明天 事假', { now: new Date('2026-11-22T23:30:00+08:00'), types });
    expect([early.start, late.start]).toEqual(['2026-11-23', '2026-11-23']);
  });

  it('reads a month and day without a year as the closest such date, past or coming', () => {
    const jan = new Date('2027-01-03T10:00:00+08:00');
    expect(parseLeaveRequest('12月30日 事假', { now: jan, types }).start).toBe('2026-12-30');
    // A month ago, not eleven months ahead: the request is then refused as too far in the past, not misfiled.
    expect(parseLeaveRequest('12月1日 事假', { now: jan, types }).start).toBe('2026-12-01');
    expect(parseLeaveRequest('6月1日 事假', { now: jan, types }).start).toBe('2027-06-01');
  });
});

describe('problem messages', () => {
  it('lists the policy types when the type is missing or unknown', () => {
    const missing = parseLeaveRequest('请假 明天', { now: SUNDAY, types }).problem;
    expect(missing?.message).toContain('事假、病假、婚假、丧假、产假、陪产假、公差、培训、会议');
    const unknown = parseLeaveRequest('请假 年假 明天', { now: SUNDAY, types }).problem;
    expect(unknown?.message).toContain('「年假」');
    expect(unknown?.message).toContain('公差');
  });

  it('asks for the dates too when both are missing', () => {
    const p = parseLeaveRequest('请假 家中有事', { now: SUNDAY, types }).problem;
    expect(p?.code).toBe('no_type');
    expect(p?.message).toContain('请问请什么假、哪几天？');
  });

  it('names both dates when the end comes first', () => {
    const p = parseLeaveRequest('请假 事假 11月27日至25日', { now: SUNDAY, types }).problem;
    expect(p?.message).toContain('11月25日');
    expect(p?.message).toContain('11月27日');
  });
});

describe('looksLikeLeave', () => {
  const yes = [
    '请假 事假 明天',
    '明天请一天病假 感冒发烧',
    '请两天假',
    '病假 感冒',
    '下周一到周三 公差 去市里开会',
    '明天出差',
  ];
  const no = ['销假', '销假 病假结束', '今天的公差补贴发了吗', '大家明天去开会', '签到', '下周一去县里培训'];
  it.each(yes)('routes %s', (text) => expect(looksLikeLeave(text, types)).toBe(true));
  it.each(no)('does not route %s', (text) => expect(looksLikeLeave(text, types)).toBe(false));
});
