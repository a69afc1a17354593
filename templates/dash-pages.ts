/**
 * The dashboard's pages (驻村工作台): the page shell the server sends (no inline script or style: the content
 * security policy allows only this site's files) and every text the browser code (src/dash/web/) shows. The
 * browser bundle imports this module, so it imports nothing but src/kit.
 */
import { dayLabel, momentLabel, monthLabel, spanLabel } from '../src/kit/date-label.js';

export { dayLabel, momentLabel, monthLabel, spanLabel };

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const title = '驻村工作台';
export const signOut = '退出登录';
export const loading = '正在加载……';
export const apiLinks = '数据接口（JSON）';
export const failed = '加载失败，请稍后重试。';
export const refused = '无权查看：不在您的范围内。';
export const notFound = '没有找到。';
export const signInAgain = '登录已过期，请重新登录。';
export const none = '暂无';
export const yes = '是';
export const no = '否';

/** The pages, as the navigation names them. */
export const nav = {
  home: '首页',
  county: '全县',
  self: '我的考勤',
  announcements: '通知公告',
  approvals: '待我审批',
  downloads: '下载',
  outbox: '发送失败的消息',
  audit: '操作记录',
} as const;

/** One entry of the navigation. */
export interface NavLink {
  label: string;
  href: string;
}

/** What the shell tells the browser code: which page, and about what. */
export interface ShellPage {
  /** county | township | group | unit | village | cadre | announcements | announcement | approvals | outbox | audit | downloads */
  page: string;
  id?: string;
}

/**
 * The page shell: header with who is signed in, the navigation of their scope, an empty `<main>` the browser
 * code fills, and the JSON links below for those who read the API.
 */
export function shell(m: {
  name: string;
  roles: string;
  nav: readonly NavLink[];
  apiLinks: readonly NavLink[];
  page: ShellPage;
  current: string;
  script: string;
  style: string;
}): string {
  const links = m.nav
    .map((l) => `<a href="${esc(l.href)}"${l.href === m.current ? ' aria-current="page"' : ''}>${esc(l.label)}</a>`)
    .join('');
  const api = m.apiLinks.map((l) => `<li><a href="${esc(l.href)}">${esc(l.label)}</a></li>`).join('');
  const id = m.page.id === undefined ? '' : ` data-id="${esc(m.page.id)}"`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${esc(m.style)}">
<script type="module" src="${esc(m.script)}"></script>
</head><body data-page="${esc(m.page.page)}"${id}>
<header><strong>${title}</strong><span id="who">${esc(m.name)}${m.roles ? `（${esc(m.roles)}）` : ''}</span>
<form method="post" action="/dash/logout"><button id="logout" type="submit">${signOut}</button></form></header>
<nav id="nav">${links}</nav>
<main id="app"><p class="muted">${loading}</p></main>
<footer><details><summary>${apiLinks}</summary><ul id="scope">${api}</ul></details></footer>
</body></html>`;
}

// ---- Texts of the pages (the browser code) ----

export const heading = {
  county: '全县驻村考勤',
  township: (name: string) => name,
  group: (name: string) => name,
  unit: (name: string) => name,
  village: (name: string) => name,
  cadre: (name: string) => name,
  announcements: '通知公告',
  announcement: (no: string) => `通知公告 ${no}`,
  approvals: '待我审批',
  outbox: '发送失败的消息',
  audit: '操作记录',
  downloads: '下载',
};

/** One announcement's read status within the viewer's scope. */
export const readLine = (read: number, recipients: number) => `本范围内${recipients}人收到，已读${read}人。`;
export const readBy = '已读';
export const older = '更早的记录';

/** The downloads' titles. */
export const downloadTitles = { sheet: '考勤表', 'report-draft': '通报（草稿）' } as const;
export const unread = '未读';

export const monthOf = (month: string) => `${monthLabel(month)}考勤`;
export const asOf = (today: string) => `截至${dayLabel(today)}`;

export const section = {
  townships: '各乡镇（街道）',
  cadres: '驻村干部',
  atRisk: '需关注的干部',
  today: '今日签到',
  leave: '请假',
  reports: '工作汇报',
  notices: '提醒通知',
  problems: '问题',
  visits: '派出单位到村',
  contacts: '联系人',
  calendar: '全年在岗日历',
  forecast: '本月预测',
  six: '六个一',
  sixOnes: '六个一',
  openProblems: '未办结问题',
  closedProblems: '已办结问题',
  announcements: '通知公告',
  approvals: '待我审批',
  failed: '发送失败的消息',
  entries: '操作记录',
  downloads: '下载',
  points: '积分',
  year: '年度累计',
};

/** 六个一 on a cadre's page: the first month's span and how many of the six are done. */
export const sixOnesLine = (start: string, end: string, done: number) =>
  `任职首月（${dayLabel(start)}至${dayLabel(end)}）已完成${done}/6项。`;

/** 积分 on a cadre's page: the half year, the total, and each item. */
export const pointsLine = (start: string, end: string, asOf: string, total: number) =>
  `${dayLabel(start)}至${dayLabel(end)}（截至${dayLabel(asOf)}）共${total}分。`;
/** Column headings, by the field names of the JSON API. */
export const column: Record<string, string> = {
  name: '姓名',
  no: '编号',
  cadre: '干部',
  leave: '请假',
  type: '类型',
  step: '审批步骤',
  steps: '共几步',
  createdAt: '提交时间',
  issuedOn: '发出日期',
  deadline: '期限',
  closedAt: '办结时间',
  note: '备注',
  units: '派出单位',
  tags: '标签',
  from: '发布人',
  recipients: '接收人数',
  withdrawn: '已撤回',
  waitingOn: '待谁审批',
  actor: '操作人',
  channel: '渠道',
  subject: '对象',
  ref: '关联',
  purpose: '用途',
  body: '内容',
  attemptsMade: '已尝试',
  failedReason: '失败原因',
  queuedAt: '排队时间',
  finishedAt: '结束时间',
  nextAt: '下次尝试',
  key: '消息键',
  workGroup: '工作小组',
  reportsMonth: '本月汇报',
  today: '今日签到',
  reports: '汇报',
  events: '次数',
  counted: '计入分数',
  cap: '半年上限',
  village: '村',
  township: '乡镇（街道）',
  unit: '派出单位',
  sendingUnit: '派出单位',
  role: '职务',
  cadres: '干部人数',
  present: '在岗天数',
  presentDays: '在岗天数',
  eligibleDays: '应在岗天数',
  rate: '在岗率',
  target: '目标',
  minimum: '最低',
  needed: '还需',
  remaining: '剩余天数',
  status: '状态',
  ip: 'IP地址',
  atRisk: '有风险',
  cannotReach: '无法达标',
  belowTarget: '低于目标',
  pendingApprovals: '待审批',
  openNotices: '未办结通知',
  openProblems: '未办结问题',
  onLeaveToday: '今日请假',
  belowLastMonth: '低于上月',
  month: '本月',
  year: '年度',
  source: '来源',
  trust: '可信度',
  at: '时间',
  time: '时间',
  date: '日期',
  start: '开始',
  end: '结束',
  days: '天数',
  reason: '事由',
  kind: '类别',
  title: '标题',
  text: '内容',
  summary: '摘要',
  state: '状态',
  read: '已读',
  readCount: '已读人数',
  total: '总人数',
  by: '操作人',
  who: '操作人',
  action: '操作',
  detail: '详情',
  error: '原因',
  attempts: '重试次数',
  to: '接收人',
  person: '人员',
  mobile: '电话',
  visitor: '来访人',
  closed: '已办结',
  opened: '提出日期',
  points: '积分',
  item: '项目',
  done: '已完成',
  shortfallDate: '预计不达标日',
};

/** Words for values the API gives as codes. */
export const value: Record<string, string> = {
  'on-track': '正常',
  'at-risk': '有风险',
  'cannot-reach': '无法达标',
  pending: '待定',
  present: '在岗',
  'self-reported': '自报',
  leave: '请假',
  off: '休息日',
  absent: '未在岗',
  open: '未到',
  outside: '任期外',
  verified: '已核验',
  unverified: '未核验',
  page: '签到页',
  location: '位置',
  backfill: '补签',
  'wecom-checkin': '企业微信打卡',
  selfreport: '自报',
  in: '签到',
  out: '签退',
  approved: '已同意',
  rejected: '已驳回',
  withdrawn: '已撤回',
  closed: '已办结',
  issued: '已发出',
  answered: '已说明，待销号',
  escalated: '已升级',
  countyLeader: '包村县领导',
  townshipHead: '包村乡镇（街道）领导',
  orgDepartment: '组织部联系人',
  sendingUnit: '派出单位负责人',
  dashboard: '工作台',
  app: '应用',
  bot: '机器人',
  system: '系统',
  admin: '管理接口',
  cli: '命令行',
  job: '定时任务',
  remind: '提醒单',
  rectify: '整改单',
  warn: '警示单',
  true: '是',
  false: '否',
};

/** A notice's or a problem's `status`/`state` of `open`: still to be dealt with (a day's `open` is 未到). */
export const openCase = '未办结';

export const approve = '同意';
export const reject = '驳回';
export const approved = '已同意。';
export const rejected = '已驳回。';
export const rejectReason = '请填写驳回理由：';
export const actionFailed = '操作未成功，请刷新后重试。';
export const noApprovals = '没有等待您审批的事项。';
export const download = '下载';
export const sendToMe = '发到我的企业微信';
export const sent = '已发送到您的企业微信，请在企业微信中查看。';
export const sendFailed = '发送未成功，请稍后重试。';
export const downloadHint = '在企业微信手机端中下载可能不成功，可点“发到我的企业微信”。';
export const downloadNames: Record<string, string> = {
  sheet: '月度考勤表（.xlsx）',
  'report-draft': '月度通报草稿（.docx）',
};
export const noRanking = '本页不作排名。';

/** The calendar's legend. */
export const legend = {
  present: '在岗',
  selfReported: '自报',
  leave: '请假',
  off: '休息日',
  absent: '未在岗',
};

export const forecast = (m: { present: number; target: number | null; needed: number | null; remaining: number }) =>
  m.target === null
    ? `本月已在岗${m.present}天，目标待定。`
    : `本月已在岗${m.present}天，目标${m.target}天，剩余${m.remaining}天中还需${m.needed ?? 0}天。`;

export const yearLine = (y: { present: number; target: number; needed: number; remaining: number }) =>
  `年度已在岗${y.present}天，目标${y.target}天，剩余${y.remaining}天中还需${y.needed}天。`;

export const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
