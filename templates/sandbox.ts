/**
 * What people read in the sandbox: the page's labels and the sentences the sample people "typed" while the
 * sandbox filled a month of history. The page itself is HTML around these words (templates/sandbox-page.ts).
 */
import type { Role } from '../src/kit/roles.js';

/** Name of the bot as the group chat shows it; group messages to the robot start with `@` and this. */
export const BOT_NAME = '驻村助手';

export const ROLE_GROUPS: Record<Role, string> = {
  cadre: '驻村干部',
  'team-leader': '领队（也是驻村干部）',
  township: '乡镇（街道）负责同志',
  'sending-unit': '派出单位领导',
  org: '县委组织部',
};

/** The picker's group of people who are neither cadres nor supervisors (县级领导, 派出单位领导). */
export const OTHER_PEOPLE = '县级领导和派出单位领导（到村调研、四包一）';

/** One line under a person's name in the picker and the header. */
export function personLine(p: { name: string; title?: string; place?: string }): string {
  return [p.name, p.place, p.title].filter(Boolean).join(' · ');
}

export const groupChatTitle = (township: string) => `${township}驻村工作群`;
export const appChatTitle = BOT_NAME;

/** Labels of a location picked on the page, as a location message's `Label` would read. */
export const place = {
  village: (county: string, township: string, village: string) => `${county}${township}${village}村委会附近`,
  town: (county: string) => `${county}城区 市民广场附近`,
  picked: '地图选点',
  inVillage: (village: string) => `在村里（${village}）`,
  inTown: '在县城',
  townMarker: '县城',
};

/**
 * Everything the page shows that does not come from the bot. Plain strings only (the page script receives
 * them as JSON); `{name}` marks a value the script fills in.
 */
export const page = {
  title: '驻村助手 · 沙盒',
  subtitle: '不需要企业微信账号：在这里扮演名册上的任何人，和机器人对话。',
  sampleNotice: '示例名册中的人员、单位和群聊均为虚构数据，仅供试用。',
  who: '我是',
  choose: '请选择身份',
  clock: '模拟时钟',
  clockHint: '机器人和消息时间跟随模拟时钟；签名、队列和定时任务仍按真实时间运行。',
  clockSet: '设定',
  clockHour: '+1小时',
  clockDay: '+1天',
  clockNow: '回到现在',
  clockFixed: '本次启动使用固定时钟，不能调整。',
  jobs: '立即运行定时任务（按模拟时间）',
  jobsNone: '定时任务未接入沙盒。',
  jobRan: '{name}：已交给发送队列 {sent} 条消息',
  jobFailed: '{name} 运行失败：{why}',
  location: '我的位置',
  locationHint: '签到页的定位和“发送位置”都使用这里选定的位置。点击地图可以选点。',
  locationNone: '尚未选择位置',
  locationNow: '当前位置：{label}（{lat}, {lng}）',
  locationApply: '使用坐标',
  locationSend: '发送位置消息',
  locationAuto: '进入应用并上报位置',
  picked: '地图选点',
  typed: '手动输入的坐标',
  lat: '纬度',
  lng: '经度',
  dashboard: '工作台',
  dashboardOAuth: '在企业微信中登录',
  dashboardWeb: '扫码登录（电脑）',
  dashboardHint: '以上面选定的身份登录工作台，两种登录方式都经过模拟的企业微信。',
  reset: '重置示例数据',
  resetConfirm: '清空本沙盒的所有考勤、请假、汇报、通知和聊天记录，并重新生成一个月的示例数据。继续吗？',
  resetDone: '示例数据已重新生成。',
  placeholder: '输入消息，例如：签到、请假 事假 今天 家中有事、我的考勤、帮助',
  placeholderGroup: '在群里 @驻村助手，例如：签到、帮助（个人考勤和请假请在与驻村助手的单聊中办理）',
  send: '发送',
  empty: '还没有消息。试试发送「帮助」。',
  pickFirst: '请先在左侧选择身份。',
  browser: '企业微信内置浏览器',
  browserOpen: '在新标签页打开',
  browserClose: '关闭',
  cardOpen: '查看详情',
  recalled: '发送人撤回了一条消息',
  image: '[图片]',
  failed: '发送失败：',
  /** Quick messages under the chat: personal ones only in the chat with the app, never in a group chat. */
  quick: {
    app: ['签到', '我的考勤', '我的请假', '请假 事假 今天 家中有事', '汇报 #走访 3户 了解冬季取暖情况', '帮助'],
    group: ['帮助', '签到'],
  },
  weekdays: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
};

/** What the sandbox itself writes into a conversation. */
export const notes = {
  autoReported: (lat: number, lng: number) =>
    `（已进入应用，企业微信自动上报位置 ${lat.toFixed(5)}, ${lng.toFixed(5)}）`,
  file: '[文件]',
  unknownMessage: (type: string) => `[${type} 消息]`,
};

/** Chinese names of the scheduled jobs for the clock panel; an id not listed shows as itself. */
export const JOB_NAMES: Record<string, string> = {
  'morning-remind': '早间签到提醒',
  'daily-digest': '每日汇总',
  'weekly-digest': '每周汇总',
  'warning-ladder': '预警提醒',
  'leave-overdue': '销假跟进',
  'report-prompt': '汇报提醒',
  'checkin-sync': '企业微信打卡同步',
  'holiday-watch': '节假日数据检查',
  'announce-renudge': '通知未读再提醒',
  retention: '清除过期位置',
  'selfreport-confirm': '自报位置确认卡片',
  'month-close': '上月关账',
  'ops-watch': '运维检查（告警）',
  backup: '数据备份',
  'visit-due': '到村调研提醒',
  'notice-triggers': '通知单检查',
  'team-digest': '领队每周情况',
  'unit-summary': '派出单位月度情况',
  'monthly-sheet': '上月考勤表和通报草稿',
};

/** What the sample people typed while the sandbox built its history. */
export const seed = {
  /** Everyday reports; problems that need help (#困难) are in `difficulties`, a few a month. */
  reports: [
    (n: number) => `汇报 #走访 ${n}户 了解冬季取暖和用电情况`,
    (n: number) => `汇报 #走访 ${n}户 入户核对防返贫监测信息`,
    (n: number) => `汇报 #走访 ${n}户 看望留守老人和儿童，登记冬季需求`,
    (n: number) => `汇报 #走访 ${n}户 宣传医保缴费政策，帮助两户在手机上办理`,
    () => '汇报 #实事 协调供电所修好村口路灯',
    () => '汇报 #实事 联系县农业农村局技术员到村讲解小麦冬季管理',
    () => '汇报 #村民说事 召开村民说事会，商定村道硬化方案',
    () => '汇报 #村民说事 议定今冬村内环境整治分工',
    () => '汇报 #党课 给村里党员讲了一次专题党课',
    () => '汇报 看望两位独居老人，送去过冬棉被',
    () => '汇报 协助村委会整理集体经济合同台账',
    () => '汇报 参加村两委例会，研究冬季防火安排',
    () => '汇报 和村会计核对村集体收支，准备下月公开',
    () => '汇报 检查村里两处危房改造进度',
  ],
  /** Problems reported for help: one or two a month in each township, each different. */
  difficulties: [
    '汇报 #困难 灌溉水渠渗漏严重，需要水利部门协调维修',
    '汇报 #困难 村里到镇上的客运班车停运，老人看病出行不便',
    '汇报 #困难 村小学取暖锅炉老化，今冬恐难正常供暖',
    '汇报 #困难 两户低保户房屋漏雨，需要危房改造资金',
    '汇报 #困难 村集体苹果滞销约二十吨，希望帮助联系销路',
    '汇报 #困难 饮水井水量不足，下游五十多户用水紧张',
  ],
  /** The problem ledger: what a cadre raised, then what the one it was sent to did (`{no}` is its number). */
  problems: {
    overdue: {
      raise: '问题 村西山坡有落石隐患，雨季威胁坡下六户村民，需要地质灾害评估和治理',
      steps: [(no: string) => `回复 ${no} 已报县自然资源局，等待安排专业评估`],
    },
    closed: {
      raise: '问题 村卫生室缺少常用药品，老人拿药要跑到镇上',
      steps: [
        (no: string) => `回复 ${no} 已联系乡卫生院，近日送药到村`,
        (no: string) => `办结 ${no} 乡卫生院已为村卫生室配齐常用药品，今后每月补货一次`,
      ],
    },
  },
  sixOnes: [
    (households: number) => `汇报 #走访 ${households}户 全村农户走访一遍，建立民情台账`,
    () => '汇报 #党课 到村第一堂党课：学习驻村工作要求',
    () => '汇报 #实事 联系县农业农村局送来冬小麦良种',
    () => '汇报 #村民说事 第一次村民说事会，收集意见12条',
    () => '汇报 #计划 制定驻村一年工作计划并报乡党委',
    () => '汇报 #承诺 在村民大会上作公开承诺',
  ],
  /** Leave asked, by kind; a plan picks one sentence of a kind in turn. */
  leave: {
    personal: [
      (dates: string) => `请假 事假 ${dates} 家中有事`,
      (dates: string) => `请假 事假 ${dates} 孩子学校开家长会`,
    ],
    sick: [
      (dates: string) => `请假 病假 ${dates} 腰椎间盘突出，医嘱卧床休息`,
      (dates: string) => `请假 病假 ${dates} 感冒发烧`,
    ],
    duty: [
      (dates: string) => `请假 公差 ${dates} 到市里参加业务培训`,
      (dates: string) => `请假 公差 ${dates} 到县里参加项目评审会`,
    ],
  },
  backfill: ['补登 昨天 山里没信号，定位失败', '补登 昨天 手机没电了'],
  approve: (no: string) => `同意 ${no}`,
  back: '销假',
  confirmBackfill: (no: string) => `确认补登 ${no}`,
  /** A team leader or township supervisor confirming the self-reported locations waiting on them. */
  confirmSelfReports: '确认全部签到',
  announcement: '通知 本周五下午三点在县委党校召开驻村工作推进会，请各位驻村干部准时参加',
  ack: '收到',
  wecomCheckinPlace: (village: string) => `${village}村委会`,
};
