/** Text around the roster file: the header of an exported roster and the `zhucun roster` command's output. */
import type { ApproverGap } from '../src/roster/approvers.js';

export interface RosterCounts {
  townships: number;
  workGroups: number;
  villages: number;
  cadres: number;
  supervisors: number;
  groups: number;
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
    `${c.cadres} cadres, ${c.supervisors} supervisors, ${c.groups} groups`
  );
}

export function imported(file: string, c: RosterCounts, sample: boolean): string {
  return `imported ${file}: ${countsLine(c)}${sample ? ' (sample data: the people in it are invented)' : ''}\n`;
}

export function valid(file: string, c: RosterCounts): string {
  return `${file} is valid: ${countsLine(c)}\n`;
}

export const nothingImported = 'no roster has been imported yet (zhucun roster import FILE)\n';

export const usage = `usage: zhucun roster <command> [--json]

commands:
  import FILE   validate FILE, then replace the roster with it (all or nothing)
  export        print the current roster as YAML (as JSON with --json)
  check FILE    validate FILE without importing it
`;

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
