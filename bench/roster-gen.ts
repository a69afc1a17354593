/**
 * A synthetic county of any size for the benchmarks: 4 cadres a village, 25 villages a township, a township
 * and sending-unit supervisor each, one organisation-department reader. Names and ids are invented.
 */
import type { RosterData } from '../src/roster/schema.js';

const UNITS = ['县财政局', '县人社局', '县农业农村局', '县水利局', '县交通局', '县教育局', '县卫健局'];

export function syntheticRoster(cadres: number, termStart = '2026-01-01', termEnd = '2027-12-31'): RosterData {
  const villages = Math.ceil(cadres / 4);
  const townships = Math.ceil(villages / 25);
  const data: RosterData = { townships: [], workGroups: [], villages: [], cadres: [], supervisors: [], groups: [] };
  for (let t = 0; t < townships; t++) {
    data.townships.push({ id: `t${t}`, name: `示例${t}乡`, usesWecomCheckin: false });
    data.supervisors.push({ userid: `sup${t}`, name: `乡领导${t}`, kind: 'township', scope: `t${t}` });
  }
  for (let v = 0; v < villages; v++)
    data.villages.push({
      id: `v${v}`,
      name: `示例${v}村`,
      township: `t${Math.floor(v / 25)}`,
      lat: 35 + (v % 100) * 0.01,
      lng: 111 + Math.floor(v / 100) * 0.01,
      radius: 1000,
    });
  for (let c = 0; c < cadres; c++)
    data.cadres.push({
      userid: `cadre${c}`,
      name: `干部${c}`,
      role: c % 4 === 0 ? '书记' : '委员',
      village: `v${Math.floor(c / 4)}`,
      sendingUnit: UNITS[c % UNITS.length]!,
      termStart,
      termEnd,
      teamLeader: false,
    });
  for (const unit of UNITS)
    data.supervisors.push({
      userid: `unit${UNITS.indexOf(unit)}`,
      name: `${unit}局长`,
      kind: 'sending-unit',
      scope: unit,
    });
  data.supervisors.push({ userid: 'org0', name: '组织部', kind: 'org-department', scope: 'county' });
  return data;
}
