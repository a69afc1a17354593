/** The words of the assessment's outputs: the 考核登记表 (.docx) and the round's summary (.xlsx). */
import type { Appeal, Grade, Level, Round, Tally } from '../src/assess/model.js';
import { dayLabel, spanLabel } from '../src/kit/date-label.js';
import { localDate } from '../src/kit/dates.js';

export const registerTitle = '驻村干部考核登记表';
export const summarySheet = '考评汇总';
export const none = '—';

export const labels = {
  name: '姓名',
  unit: '派出单位',
  post: '驻村职务',
  village: '驻村',
  term: '任期',
  summary: '个人述职',
  review: '群众评议',
  score: '综合得分',
  proposed: '建议等次',
  final: '确定等次',
  appeal: '复核',
};

export const levelLabel: Record<Level, string> = {
  unit: '派出单位评定',
  township: '乡镇（街道）评定',
  org: '组织部评定',
};

export const summaryHeader = [
  '村',
  '姓名',
  '派出单位',
  '派出单位评定',
  '乡镇（街道）评定',
  '组织部评定',
  '群众评议',
  '综合得分',
  '建议等次',
  '确定等次',
  '改定理由',
  '复核',
];

export const post = (role: string) => (role === '书记' ? '第一书记' : '工作队员');
export const term = (start: string, end: string) => spanLabel(start, end);
export const rating = (grade: Grade, comment: string) => `${grade}：${comment}`;
export const review = (page: Tally, paper: Tally) =>
  `满意${page.满意 + paper.满意}，基本满意${page.基本满意 + paper.基本满意}，不满意${page.不满意 + paper.不满意}（其中纸质票${paper.满意 + paper.基本满意 + paper.不满意}张）`;
export const score = (n: number) => `${n}分`;
export const finalGrade = (grade: Grade, reason?: string) => (reason ? `${grade}（改定理由：${reason}）` : grade);
export const appeal = (a: Appeal) =>
  `${dayLabel(localDate(new Date(a.at)))}申请：${a.reason}${a.answer ? `；答复：${a.answer.grade}，${a.answer.text}` : '；未答复'}`;
export const roundLine = (r: Round) =>
  `${r.name}（${r.id}）${r.publicFrom ? `\u3000公示${spanLabel(r.publicFrom, r.publicUntil!)}` : ''}`;
