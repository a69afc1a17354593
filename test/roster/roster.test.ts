import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRosterFile } from '../../src/roster/load.js';
import { Roster } from '../../src/roster/roster.js';

const data = await loadRosterFile(fileURLToPath(new URL('../../config/roster.sample.yaml', import.meta.url)));
const roster = new Roster(data);
const visible = (userid: string) =>
  roster
    .visibleCadres(roster.person(userid)!)
    .map((c) => c.userid)
    .sort();
const ofTownship = (id: string) =>
  roster
    .cadresOfTownship(id)
    .map((c) => c.userid)
    .sort();

describe('Roster on the sample', () => {
  it('knows a plain cadre, who sees only their own figures', () => {
    const p = roster.person('LiXiaoYan')!;
    expect(p.roles).toEqual(['cadre']);
    expect(p.name).toBe('李晓燕');
    expect(roster.villageOf(p.cadre!).name).toBe('北堡村');
    expect(roster.townshipOf(p.cadre!).id).toBe('xintian');
    expect(roster.workGroupOf(p.cadre!)?.id).toBe('xintian-team');
    expect(visible('LiXiaoYan')).toEqual(['LiXiaoYan']);
  });

  it('knows a team leader, who sees the cadres of their township', () => {
    const p = roster.person('ZhouMingHui')!;
    expect(p.roles).toEqual(['cadre', 'team-leader']);
    expect(visible('ZhouMingHui')).toEqual(ofTownship('fengcheng'));
    expect(roster.teamLeadersOf(roster.cadres.get('WuXiuLan')!).map((c) => c.userid)).toEqual(['ZhouMingHui']);
  });

  it('knows a township supervisor, who sees only their township', () => {
    const p = roster.person('LiZhenHua')!;
    expect(p.roles).toEqual(['township']);
    expect(p.cadre).toBeUndefined();
    expect(p.supervisor?.[0]?.title).toBe('党委书记');
    const seen = visible('LiZhenHua');
    expect(seen).toEqual(ofTownship('xintian'));
    expect(seen).toHaveLength(11);
    expect(roster.canSee(p, 'ZhouMingHui')).toBe(false);
    expect(roster.townshipSupervisors('gaocun').map((s) => s.userid)).toEqual(['LiuJianPing', 'MengQingLi']);
  });

  it('knows a sending-unit leader, who sees only their unit across townships', () => {
    const p = roster.person('DuHongWei')!;
    expect(p.roles).toEqual(['sending-unit']);
    expect(visible('DuHongWei')).toEqual(['DengGuoQing', 'LiXiaoYan', 'WangJianGuo']);
    expect(roster.sendingUnitLeaders('县卫健局').map((s) => s.userid)).toEqual(['QinYuLan']);
  });

  it('knows the organisation department, who sees everyone', () => {
    const p = roster.person('WuJianZhong')!;
    expect(p.roles).toEqual(['org']);
    expect(visible('WuJianZhong')).toHaveLength(data.cadres.length);
    expect(roster.orgDepartment().map((s) => s.userid)).toEqual(['WuJianZhong', 'ChangXiaoMin']);
  });

  it('finds groups and says nothing about strangers', () => {
    expect(roster.person('Nobody')).toBeUndefined();
    expect(roster.groupOfTownship('gaocun')?.webhookKeyEnv).toBe('WEBHOOK_GAOCUN');
    expect(roster.groupByChat(roster.groupOfTownship('xintian')!.chatid)?.township).toBe('xintian');
    expect(roster.findVisibleCadre(roster.person('LiZhenHua')!, '王建国').map((c) => c.userid)).toEqual([
      'WangJianGuo',
    ]);
    expect(roster.findVisibleCadre(roster.person('LiZhenHua')!, '周明辉')).toEqual([]);
  });
});
