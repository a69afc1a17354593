/**
 * Operator alerts (运维告警), read by the county's IT staff in WeCom: what happened, why it matters and exactly
 * what to do, naming the command or setting. Each alert kind has a title here; src/alerts/ builds the alerts and
 * sends them rate-limited, with the number of repeats since the last one.
 */
import { momentLabel } from '../src/kit/date-label.js';

/** The kinds of alert and their titles; src/alerts/ takes its kind type from these keys. */
export const ALERT_TITLES = {
  'outbox-failed': '消息发送失败',
  'job-missed': '定时任务错过了运行时间',
  'job-failed': '定时任务运行出错',
  'backup-failed': '数据备份失败',
  'redis-memory': 'Redis 内存占用过高',
  'holidays-missing': '放假安排尚未导入',
} as const;

export type AlertTitleKind = keyof typeof ALERT_TITLES;

/** The two sentences of an alert. */
export interface AlertText {
  reason: string;
  action: string;
}

/** What the message says about repeats: how many since the last alert sent, in its window. */
export interface RepeatNote {
  count: number;
  /** When the last alert of this kind and key was sent (ms). */
  since: number;
  minutes: number;
}

function repeatLine(r: RepeatNote): string {
  return `上次告警（${momentLabel(new Date(r.since))}）后的 ${r.minutes} 分钟内又发生 ${r.count} 次。`;
}

/** The whole message; `summary` when it only reports repeats at the end of a window (the latest one is shown). */
export function alertMessage(a: {
  kind: AlertTitleKind;
  text: AlertText;
  at: Date;
  repeats?: RepeatNote;
  summary?: boolean;
}): string {
  const lines = [`【驻村助手运维告警】${ALERT_TITLES[a.kind]}${a.summary ? '（汇总）' : ''}`];
  if (a.summary && a.repeats) lines.push(`${repeatLine(a.repeats)}最近一次的情况如下。`);
  lines.push(`原因：${a.text.reason}`, `处理：${a.text.action}`);
  if (!a.summary && a.repeats && a.repeats.count > 0) lines.push(repeatLine(a.repeats));
  lines.push(`（${momentLabel(a.at)}；同一告警每 ${a.repeats?.minutes ?? 60} 分钟内最多发一次，其间的重复会汇总）`);
  return lines.join('\n');
}

const RETRY_ALL = '改好后运行 zhucun outbox retry --all 重发失败的消息。';

/** A message the outbox gave up on. `detail` is the stored reason; `errcode` WeCom's code, if any. */
export function outboxFailed(m: {
  purpose: string;
  to: string;
  detail: string;
  errcode?: number;
  webhookEnv?: string;
  exhausted: boolean;
}): AlertText {
  const how = m.exhausted ? '多次重试后仍未送达' : '被拒收，重试也不会成功';
  const reason = `一条消息（用途 ${m.purpose}，发往 ${m.to}）${how}，已放弃发送：${m.detail}`;
  if (m.webhookEnv)
    return {
      reason,
      action: `在环境变量 ${m.webhookEnv} 中填入群机器人 Webhook 地址中 key= 后面的部分，重启服务；${RETRY_ALL}`,
    };
  if (m.errcode === 81013)
    return {
      reason,
      action: `收件人在企业微信通讯录里都不存在：请核对名册中的 userid（zhucun roster check）与通讯录是否一致；${RETRY_ALL}`,
    };
  if (m.errcode === 40013 || m.errcode === 40001 || m.errcode === 60020 || m.errcode === 48002)
    return { reason, action: `按上面原因中的提示修改企业微信或本服务的设置；${RETRY_ALL}` };
  if (m.exhausted)
    return {
      reason,
      action: `企业微信接口一直无法送达：请检查本服务器的网络、代理和 WECOM_API_BASE，恢复后运行 zhucun outbox retry --all。`,
    };
  return {
    reason,
    action:
      '运行 zhucun outbox --failed 查看失败的消息和原因，改正后用 zhucun outbox retry 编号 重发；看不懂原因请联系维护人员。',
  };
}

/** A scheduled run that threw. */
export function jobFailed(jobId: string, slot: Date, error: string): AlertText {
  return {
    reason: `定时任务 ${jobId}（计划 ${momentLabel(slot)} 运行）运行出错：${error}`,
    action: `在服务日志中查看 job failed 一行的详细错误；问题解决后运行 zhucun jobs run ${jobId} 补做（已发出的消息不会重发）。`,
  };
}

/** The backup job threw: no new snapshot. */
export function backupFailed(slot: Date, error: string): AlertText {
  return {
    reason: `${momentLabel(slot)} 的数据备份没有完成：${error}。备份目录里最新的快照已不是最新数据。`,
    action:
      '检查备份目录（ZHUCUN_BACKUP_DIR）是否存在、可写，磁盘空间是否足够，然后运行 zhucun jobs run backup 立即补做，确认目录中出现了新的快照。',
  };
}

/** A slot nobody ran by the end of its catch-up window. */
export function jobMissed(jobId: string, slot: Date, cutoff: Date): AlertText {
  return {
    reason: `定时任务 ${jobId} 应在 ${momentLabel(slot)} 运行，到补做时限 ${momentLabel(cutoff)} 仍没有运行（服务停了、运行中卡住，或所有实例都不在运行）。`,
    action: `检查服务是否在运行：zhucun jobs list 列出每个任务上次运行的时间，服务日志中看有无报错；这一次仍需要的话，运行 zhucun jobs run ${jobId} 手动补做。`,
  };
}

function size(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(mb < 10 ? 1 : 0)} MB`;
}

/** Redis above the policy's share of its memory limit (or of the machine's memory when it has none). */
export function redisMemory(m: {
  node: string;
  used: number;
  limit: number;
  basis: 'maxmemory' | 'system';
  percent: number;
  threshold: number;
}): AlertText {
  const of = m.basis === 'maxmemory' ? '内存上限 maxmemory' : '本机总内存（Redis 未设 maxmemory）';
  return {
    reason: `Redis（${m.node}）已用内存 ${size(m.used)}，占${of} ${size(m.limit)} 的 ${m.percent}%，超过告警线 ${m.threshold}%。`,
    action:
      m.basis === 'maxmemory'
        ? '用满后 Redis 会拒绝写入，签到、请假和审批都会失败：请先做一次备份（zhucun backup --out 文件），再调大 Redis 的 maxmemory 或给服务器加内存；运行 zhucun outbox 看是否有大量积压的消息。'
        : '用满后系统可能终止 Redis，服务随之中断：请先做一次备份（zhucun backup --out 文件），再给服务器加内存或为 Redis 设置 maxmemory；运行 zhucun outbox 看是否有大量积压的消息。',
  };
}

/** A year's State Council holiday notice not loaded: this year at any time, next year after the watch date. */
export function holidaysMissing(year: number, opts: { current: boolean; fromMonth: number }): AlertText {
  return {
    reason: opts.current
      ? `今年（${year} 年）的放假安排没有导入：本年各月的目标都显示“待定”，预警暂停。`
      : `已过每年 ${opts.fromMonth} 月 1 日的检查日期，${year} 年的放假安排仍没有导入：${year} 年各月的目标将显示“待定”，预警暂停。`,
    action: `国务院办公厅公布 ${year} 年放假安排后，按 holiday-cn 格式写成 JSON 文件，设置 ZHUCUN_HOLIDAYS 指向它并重启服务；运行 zhucun calendar ${year} 检查是否已生效。`,
  };
}
