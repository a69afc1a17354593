/** Text around the roster file: the header of an exported roster and the `zhucun roster` command's output. */
import { dayLabel } from '../src/kit/date-label.js';
import { monthDates } from '../src/kit/dates.js';
import type { ApproverGap } from '../src/roster/approvers.js';
import type { Assignment, EndReason } from '../src/roster/assignments.js';
import type { RosterDiff } from '../src/roster/plan.js';
import type { SectionChange, SectionChanges } from '../src/roster/section-diff.js';
import type { VerifyProblem, VerifyResult } from '../src/roster/verify.js';

export interface RosterCounts {
  townships: number;
  workGroups: number;
  villages: number;
  cadres: number;
  supervisors: number;
  groups: number;
  /** Entries of `people` (neither cadres nor supervisors). */
  people: number;
  /** Villages with their four contacts. */
  contacts: number;
  sendingUnits: number;
  mentors: number;
}

/** Comment written at the top of an exported roster (each line becomes a `#` comment). */
export function exportHeader(sample: boolean): string {
  const lines = [' 驻村干部名册。修改后先用 `zhucun roster check 文件` 检查，再用 `zhucun roster import 文件` 导入。'];
  if (sample) lines.push(' 示例数据：名册中的人员、职务、单位和群聊编号均为虚构，请勿用于正式工作。');
  return lines.join('\n');
}

export function countsLine(c: RosterCounts): string {
  return (
    `${c.townships} townships, ${c.villages} villages, ${c.workGroups} work groups, ` +
    `${c.cadres} cadres, ${c.supervisors} supervisors, ${c.groups} groups, ${c.people} other people, ` +
    `${c.contacts} villages with four contacts, ${c.sendingUnits} sending units with leaders, ${c.mentors} mentors`
  );
}

export function imported(file: string, c: RosterCounts, sample: boolean): string {
  return `imported ${file}: ${countsLine(c)}${sample ? ' (sample data: the people in it are invented)' : ''}\n`;
}

export function valid(file: string, c: RosterCounts): string {
  return `${file} is valid: ${countsLine(c)}\n`;
}

export const nothingImported = 'no roster has been imported yet (zhucun roster import FILE)\n';

export const usage = `usage: zhucun roster <command> [--json] [--now ISO]

commands:
  import FILE   validate FILE, then replace the roster with it (all or nothing), keeping every
                cadre's assignment history; prints what changed
  diff FILE     what importing FILE would change (added, ended, moved, terms, places); changes nothing
  export        print the current roster as YAML (as JSON with --json)
  check FILE    validate FILE without importing it
  verify [FILE] check every userid of FILE (default: the imported roster) against WeCom's member
                list, and that the app's visibility range covers everyone it messages

--now ISO       the import date (default: today); an import takes effect from that day
`;

const END_REASON: Record<EndReason, string> = {
  replaced: 'replaced',
  recalled: 'recalled',
  moved: 'moved',
  'term-end': 'term ended',
  rotation: 'rotation',
  removed: 'not in the file',
};

function sectionLines(name: string, c: SectionChange): string[] {
  return [...c.added.map((x) => `  + ${name} ${x}`), ...c.removed.map((x) => `  - ${name} ${x}`)];
}

/** One line per change an import makes (or would make), then a count line. */
export function diffReport(file: string, d: RosterDiff): string {
  const lines = [
    ...d.added.map((a) => `  added    ${a.userid} ${a.name}: ${a.village} from ${a.from}`),
    ...d.ended.map(
      (e) =>
        `  ended    ${e.userid} ${e.name} (${e.village}): last day in post ${e.lastDay}, ${END_REASON[e.reason]}` +
        (e.by ? ` by ${e.by.userid} ${e.by.name}` : ''),
    ),
    ...d.moved.map(
      (m) =>
        `  moved    ${m.userid} ${m.name}: ${m.fromVillage} -> ${m.toVillage} from ${m.on}` +
        (m.sendingUnit ? ` (sending unit ${m.sendingUnit.before} -> ${m.sendingUnit.after})` : ''),
    ),
    ...d.terms.map(
      (t) =>
        `  term     ${t.userid} ${t.name}: ${t.before.start}..${t.before.end} -> ${t.after.start}..${t.after.end}` +
        (t.kind === 'new-term' ? ' (new term: new targets, the old term keeps its figures)' : ' (corrected)'),
    ),
    ...d.changed.map((c) => `  changed  ${c.userid} ${c.name}: ${c.field} ${c.before} -> ${c.after}`),
    ...sectionLines('township', d.townships),
    ...sectionLines('village', d.villages),
    ...sectionLines('work group', d.workGroups),
    ...sectionLines('supervisor', d.supervisors),
    ...sectionLines('group', d.groups),
    ...sectionLines('person', d.people),
    ...sectionLines('contacts', d.contacts),
    ...sectionLines('sending unit', d.sendingUnits),
    ...sectionLines('mentor', d.mentors),
  ];
  const head = `${file}: changes as of ${d.date}${lines.length ? '' : ': none'}`;
  return [head, ...lines, `  ${diffCountsLine(d)}`, ''].join('\n');
}

const SECTION_KEYS: readonly (keyof SectionChanges)[] = [
  'townships',
  'villages',
  'workGroups',
  'supervisors',
  'groups',
  'people',
  'contacts',
  'sendingUnits',
  'mentors',
];

/** The counts of a diff, for the summary line and the audit record. */
export function diffCountsLine(d: RosterDiff): string {
  const places = SECTION_KEYS.map((k) => d[k].added.length + d[k].removed.length).reduce((a, b) => a + b, 0);
  return (
    `${d.added.length} added, ${d.ended.length} ended, ${d.moved.length} moved, ${d.terms.length} term changes, ` +
    `${d.changed.length} other cadre changes, ${places} other entries added or removed`
  );
}

const END_NOTE: Record<EndReason, string> = {
  replaced: '由他人接替',
  recalled: '召回',
  moved: '调整',
  'term-end': '任期届满',
  rotation: '轮换',
  removed: '移出名册',
};

/**
 * The note on a sheet row whose month saw a move or an end of assignment: `12月7日起由北堡村调入`,
 * `12月5日离任（召回）`. Empty when the month saw neither.
 */
export function sheetNote(periods: readonly Assignment[], held: Assignment, month: string): string {
  const notes: string[] = [];
  const before = periods
    .slice(0, periods.indexOf(held))
    .filter((p) => p.village !== held.village)
    .at(-1);
  if (before) notes.push(`${dayLabel(held.from)}起由${before.villageName}调入`);
  const last = monthDates(month).at(-1)!;
  if (held.to !== null && held.end && held.to <= last) notes.push(`${dayLabel(held.to)}离任（${END_NOTE[held.end]}）`);
  return notes.join('；');
}

/** Up to this many names of the cadres a gap concerns; the rest are counted. */
const NAMES_SHOWN = 5;

function whose(cadres: string[]): string {
  if (!cadres.length) return 'no cadre yet';
  const shown = cadres.slice(0, NAMES_SHOWN).join(', ');
  return cadres.length > NAMES_SHOWN ? `${shown} and ${cadres.length - NAMES_SHOWN} more` : shown;
}

/** One `roster check` error: a level with nobody to approve leave, and where that leave goes instead. */
export function approverGap(file: string, g: ApproverGap): string {
  switch (g.kind) {
    case 'township':
      return `ERROR ${file}: township "${g.id}" (${g.name}) has no supervisor (kind township): its step of the leave of ${whose(g.cadres)} goes up to the sending unit\n`;
    case 'sending-unit':
      return `ERROR ${file}: sending unit "${g.name}" has no leader (kind sending-unit): its step of the leave of ${whose(g.cadres)} goes up to the organisation department\n`;
    case 'org-department':
      return `ERROR ${file}: nobody in the organisation department (kind org-department): leave needing it, or any level above an empty one, cannot be asked for\n`;
  }
}

export function invalidApprovers(file: string, count: number): string {
  return `${file}: ${count} approval level${count > 1 ? 's have' : ' has'} nobody to approve leave (see the ERROR lines)\n`;
}

/** One warning of the roster check (a line of `readRoster`): it does not stop the import. */
export function warningLine(line: string): string {
  return `WARN ${line}\n`;
}

const VERIFY_PROBLEM: Record<VerifyProblem['problem'], string> = {
  'not-a-member': "is not in WeCom's member list",
  'not-visible': "is outside the app's visibility range: the app cannot message them",
};

/** `zhucun roster verify`: one line per person with a problem, then a count line. */
export function verifyReport(source: string, r: VerifyResult): string {
  const lines = r.problems.map(
    (p) => `ERROR ${source}: ${p.userid} (${p.name}, ${p.uses.join(', ')}) ${VERIFY_PROBLEM[p.problem]}`,
  );
  if (!r.membersRead)
    lines.push(
      `NOTE WeCom refused the member list (user/list_id needs a secret allowed to read the address book): only the visibility range was checked`,
    );
  const head = r.problems.length
    ? `${source}: ${r.problems.length} of ${r.checked} userids have a problem`
    : `${source}: all ${r.checked} userids are ${r.membersRead ? 'WeCom members ' : ''}inside the app's visibility range`;
  return [...lines, head, ''].join('\n');
}
