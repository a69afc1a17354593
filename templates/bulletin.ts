/**
 * Texts of the monthly 通报 draft (.docx) the organisation department edits before issuing it: the title, the
 * county's figures, each township's in roster order, and the numbered notices issued and closed in the month.
 * It names no ranking of people: townships stand in roster order, and cadres appear only in the notice lists.
 */
import { dayLabel, fullDayLabel, monthLabel } from '../src/kit/date-label.js';
import type { Notice } from '../src/notices/notice.js';
import type { RollupCounts } from '../src/rollup/rollup.js';
import { KIND, STATE } from './notices.js';

const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

export const title = (county: string | undefined, month: string) =>
  `${county ?? ''}驻村干部${monthLabel(month)}在岗履职情况通报`;

export const DRAFT_NOTE = '（草稿：由系统根据考勤、请假和通知单数据生成，请核实、修改后印发。）';

export const SECTIONS = { county: '一、全县总体情况', townships: '二、各乡镇（街道）情况', notices: '三、通知单情况' };

/** The month's standing: over (met / missed) or still running (the forecast). */
type Phase = 'past' | 'current' | 'future';

/** The county's paragraph. */
export function countyParagraph(month: string, phase: Phase, today: string, c: RollupCounts): string {
  const asOf = phase === 'past' ? `${monthLabel(month)}` : `${monthLabel(month)}（截至${fullDayLabel(today)}）`;
  const status =
    phase === 'past'
      ? `已达到月目标 ${c.status['on-track']} 名，未达到 ${c.status['at-risk'] + c.status['cannot-reach']} 名`
      : `按计划 ${c.status['on-track']} 名，有风险 ${c.status['at-risk']} 名，无法完成 ${c.status['cannot-reach']} 名`;
  const pending = c.status.pending ? `，月目标待定 ${c.status.pending} 名` : '';
  return (
    `${asOf}，全县在岗驻村干部 ${c.cadres} 名，在村 ${c.presentDays} 人天，应在村 ${c.eligibleDays} 人天，` +
    `在村率 ${pct(c.rate)}；${status}${pending}；上月未达到月目标 ${c.belowLastMonth} 名。`
  );
}

export const TOWNSHIP_INTRO = '各乡镇（街道）按名册顺序排列，不作排名。';

export function townshipHeader(phase: Phase): string[] {
  return phase === 'past'
    ? ['乡镇（街道）', '驻村干部', '在村人天', '应在村人天', '在村率', '达到月目标', '未达到', '待定', '上月未达到']
    : [
        '乡镇（街道）',
        '驻村干部',
        '在村人天',
        '应在村人天',
        '在村率',
        '按计划',
        '有风险',
        '无法完成',
        '待定',
        '上月未达到',
      ];
}

export function townshipRow(name: string, phase: Phase, c: RollupCounts): string[] {
  const s = c.status;
  const status =
    phase === 'past'
      ? [s['on-track'], s['at-risk'] + s['cannot-reach']]
      : [s['on-track'], s['at-risk'], s['cannot-reach']];
  return [name, c.cadres, c.presentDays, c.eligibleDays, pct(c.rate), ...status, s.pending, c.belowLastMonth].map(
    String,
  );
}

/** `本月发出通知单 3 份（提醒单 1 份，整改单 2 份，警示单 0 份），销号 1 份。` */
export function noticeSummary(issued: readonly Notice[], closed: readonly Notice[]): string {
  const by = (k: Notice['kind']) => issued.filter((n) => n.kind === k).length;
  return (
    `本月发出通知单 ${issued.length} 份（提醒单 ${by('remind')} 份，整改单 ${by('rectify')} 份，警示单 ${by('warn')} 份），` +
    `销号 ${closed.length} 份。`
  );
}

export const ISSUED_TITLE = '（一）本月发出的通知单';
export const CLOSED_TITLE = '（二）本月销号的通知单';
export const NONE = '无。';

/** One notice in a list: number, kind, place, name, date and reason, and its state now. */
export const issuedLine = (n: Notice) =>
  `${n.no} ${KIND[n.kind]}：${n.township.name}${n.village} ${n.name}，${dayLabel(n.issuedOn)}发出，${n.reason}（${STATE[n.state]}）。`;

export const closedLine = (n: Notice, closedOn: string) =>
  `${n.no} ${KIND[n.kind]}：${n.township.name}${n.village} ${n.name}，${dayLabel(n.issuedOn)}发出，${dayLabel(closedOn)}销号。`;

/** The signature lines at the end of the draft. */
export const SIGNATURE = ['县委组织部', '　　年　　月　　日'] as const;

/** Names of the files the monthly-sheet job sends (what the organisation department sees in the chat). */
export const sheetFileName = (county: string | undefined, month: string) =>
  `${county ?? ''}驻村干部${monthLabel(month)}考勤表.xlsx`;
export const draftFileName = (county: string | undefined, month: string) =>
  `${county ?? ''}驻村干部${monthLabel(month)}通报（草稿）.docx`;
