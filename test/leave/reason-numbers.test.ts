/**
 * Numbers in a reason are not dates: a request with a clear date and a reason like "走访3户" or "2号楼" is read
 * as written, with no question and the reason kept whole.
 */
import { describe, expect, it } from 'vitest';
import { parseLeaveRequest } from '../../src/leave/parse.js';
import { SUNDAY, types } from './parse-types.js';

const reasons = [
  '走访3户',
  '去2号楼办事',
  '走访3个村',
  '第2次复查',
  '发烧39度',
  '联系电话13812345678',
  '10点开会',
  '孩子3岁发烧',
  '老人85岁住院',
  '去县医院3楼体检',
  '办理2本证件',
  '交材料5份',
  '坐5号线去市里',
  '陪护 住6号床',
  '体温37.5度',
  '血压160/100',
  '装修2套房',
  '3楼漏水',
  '处理10月份报表',
  '工作满2年',
  '去市里办事约3小时',
  '考试满分100分',
  '带2个孩子看病',
  '参加第3期学习',
  '房产证编号2024001',
  '3组村民纠纷调解',
  '给5户送物资',
  '走访贫困户12户',
  '路程120公里',
  '航班CA1234',
  '坐G1234次高铁',
  '预约8点半挂号',
  '支付500元押金',
  '检查1个多小时',
  '母亲70大寿',
  '三楼邻居漏水',
  '看望90岁老人',
  '1.5公里外取药',
  '一家3口体检',
  '5楼会议室交材料',
  '离家300里',
  '孩子读初中三年级',
  '拿1号文件',
  '住院治疗两个月后复查',
];

describe('reasons with numbers on Sunday 22 November 2026', () => {
  it('has at least 40 reasons', () => expect(reasons.length).toBeGreaterThanOrEqual(40));

  it.each(reasons)('请假 事假 明天 %s', (reason) => {
    const p = parseLeaveRequest(`请假 事假 明天 ${reason}`, { now: SUNDAY, types });
    expect(p).toEqual({ type: '事假', start: '2026-11-23', end: '2026-11-23', days: 1, reason });
  });

  it('keeps a number after a range too', () => {
    const p = parseLeaveRequest('11月25日至27日 病假 住院三天 住3号床', { now: SUNDAY, types });
    expect(p).toMatchObject({ type: '病假', start: '2026-11-25', end: '2026-11-27', days: 3 });
    expect(p.problem).toBeUndefined();
    expect(p.reason).toContain('3号床');
  });
});
