import { describe, expect, it } from 'vitest';
import { looksLikePlainReport } from '../../src/reports/plain-report.js';

describe('looksLikePlainReport', () => {
  it.each([
    '今天走访了3户，了解到春耕用种和灌溉的情况',
    '上午入户核实低保户家庭收入情况，共5户',
    '下午召开村两委会议，研究冬季防火工作安排',
    '组织开展人居环境整治，清理垃圾两车',
    '和乡里一起化解了一起宅基地纠纷，双方已签协议',
    '给全村党员讲了一次党课，主题是乡村振兴',
    '慰问了三位独居老人，送去米面油和棉被',
  ])('takes %s for a report', (text) => {
    expect(looksLikePlainReport(text)).toBe(true);
  });

  it.each([
    ['too short', '今天走访了3户'],
    ['a question with a mark', '明天走访哪几户比较合适？需要提前通知吗'],
    ['a question by its closing word', '这周还要再入户核实一遍收入情况吗'],
    ['a question by its opening', '请问走访记录要按什么格式整理上报给乡里'],
    ['chit-chat', '大家今天辛苦了，晚上早点休息，明天见'],
    ['thanks', '谢谢领导关心，我们一定把工作做好做实'],
    ['work words that fill chat', '组织上安排的工作我们都记下了，请放心'],
  ])('does not take %s', (_, text) => {
    expect(looksLikePlainReport(text)).toBe(false);
  });
});
