/** The leave types and fixed days the parse tests share. */
import type { LeaveTypeOption } from '../../src/leave/parse.js';

export const types: LeaveTypeOption[] = [
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

/** Sunday 22 November 2026, 10:00 in Shanghai: 明天 and 下周一 are Monday 23 November. */
export const SUNDAY = new Date('2026-11-22T10:00:00+08:00');
