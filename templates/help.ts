/** Help text of each command: what it does, how to write it, examples. Handlers import their entry. */
import type { CommandHelp } from '../src/kit/command-help.js';

export const help = {
  help: { summary: '查看可用命令', usage: '帮助 [命令]', examples: ['帮助', '帮助 请假'] },
  checkin: {
    summary: '在村签到（打开签到页定位；也可在应用聊天里发送位置）',
    usage: '签到',
    examples: ['签到', '打卡'],
  },
  checkout: { summary: '离村时签退（可选，记入当天明细）', usage: '签退', examples: ['签退'] },
  backfill: {
    summary: '补登漏签的一天（需领队或乡镇（街道）确认）',
    usage: '补登 日期 原因',
    examples: ['补登 昨天 山里没信号', '补登 11月20日 手机没电'],
  },
  /** `汇报` as a supervisor uses it: reading, never filing. */
  reportRead: {
    summary: '查看所管干部的工作汇报（可指定日期）',
    usage: '汇报 姓名 [日期]',
    examples: ['汇报 王建国', '汇报 王建国 昨天'],
  },
} satisfies Record<string, CommandHelp>;
