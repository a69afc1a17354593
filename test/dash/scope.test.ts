/**
 * The dashboard's scope by roster role, on the sample roster: who reads which cadres and which township's
 * roll-up, checked against the roster's own lists (a township's cadres, a unit's cadres, a work group's).
 */
import { describe, expect, it } from 'vitest';
import { canReadCadre, canReadTownship, cadresInScope, countyScope, dashScope, isEmpty } from '../../src/dash/scope.js';
import { Roster } from '../../src/roster/roster.js';
import { sampleRosterData } from '../helpers/deps.js';

const roster = new Roster(sampleRosterData());
const scopeOf = (userid: string) => dashScope(roster.person(userid)!, roster);
const ids = (userid: string) => cadresInScope(scopeOf(userid), roster).map((c) => c.userid);
const all = roster.data.cadres.map((c) => c.userid);

describe('dashboard scope', () => {
  it('gives the organisation department the county, every township included', () => {
    const s = scopeOf('WuJianZhong');
    expect(s.county).toBe(true);
    expect(ids('WuJianZhong')).toEqual(all);
    for (const t of roster.townships.keys()) expect(canReadTownship(s, t)).toBe(true);
    expect(countyScope(roster)).toMatchObject({ county: true, townships: [...roster.townships.keys()] });
  });

  it('gives a township supervisor their township only', () => {
    const s = scopeOf('LiZhenHua');
    expect(s).toMatchObject({ county: false, townships: ['xintian'] });
    expect(ids('LiZhenHua')).toEqual(roster.cadresOfTownship('xintian').map((c) => c.userid));
    expect(canReadTownship(s, 'xintian')).toBe(true);
    expect(canReadTownship(s, 'fengcheng')).toBe(false);
    expect(canReadCadre(s, roster, 'ZhouMingHui')).toBe(false); // 凤城乡
  });

  it("gives a sending unit's main leader, deputy and supervisor the unit's cadres wherever they serve", () => {
    const unit = roster.data.cadres.filter((c) => c.sendingUnit === '县财政局').map((c) => c.userid);
    expect(unit.length).toBeGreaterThan(1);
    for (const who of ['DuHongWei', 'LiuYaQin']) {
      expect(ids(who)).toEqual(unit);
      expect(canReadTownship(scopeOf(who), 'xintian')).toBe(false);
    }
    // 县水利局's leader, on the roster only through sendingUnits, reads 县水利局's cadres and not 县财政局's.
    expect(ids('PengXiaoJun')).toEqual(
      roster.data.cadres.filter((c) => c.sendingUnit === '县水利局').map((c) => c.userid),
    );
    expect(canReadCadre(scopeOf('PengXiaoJun'), roster, 'LiXiaoYan')).toBe(false);
    // A sending-unit supervisor (分管副局长 of 县卫健局) who is also 县卫健局's deputy.
    expect(scopeOf('QinYuLan').units).toEqual(['县卫健局']);
  });

  it('gives a 领队 their work group and themself, not the other work group of the township', () => {
    const s = scopeOf('WangJianGuo');
    expect(s).toMatchObject({ county: false, townships: [], workGroups: ['xintian-team'], self: 'WangJianGuo' });
    expect(ids('WangJianGuo')).toEqual(roster.cadresOfWorkGroup('xintian-team').map((c) => c.userid));
    expect(canReadCadre(s, roster, 'MaJunJie')).toBe(false); // 柳河村, 新田乡第二工作小组
    expect(canReadTownship(s, 'xintian')).toBe(false);
  });

  it("gives a 领队 whose village has no work group their township's cadres, but not its roll-up", () => {
    const data = sampleRosterData();
    const bare = new Roster({ ...data, workGroups: [] });
    const s = dashScope(bare.person('WangJianGuo')!, bare);
    expect(s).toMatchObject({ workGroups: [], teamTownships: ['xintian'] });
    expect(cadresInScope(s, bare).map((c) => c.userid)).toEqual(bare.cadresOfTownship('xintian').map((c) => c.userid));
    expect(canReadTownship(s, 'xintian')).toBe(false);
  });

  it('gives a cadre themself only', () => {
    const s = scopeOf('LiXiaoYan');
    expect(ids('LiXiaoYan')).toEqual(['LiXiaoYan']);
    expect(canReadCadre(s, roster, 'WangJianGuo')).toBe(false);
    expect(canReadTownship(s, 'xintian')).toBe(false);
  });

  it('gives someone without a role nothing, and nobody reads a userid that is not a cadre', () => {
    const other = (roster.data.people ?? []).find((p) => !roster.unitRolesOf(p.userid).length)!;
    expect(isEmpty(dashScope(roster.person(other.userid)!, roster))).toBe(true);
    expect(isEmpty(scopeOf('LiXiaoYan'))).toBe(false);
    expect(canReadCadre(scopeOf('WuJianZhong'), roster, 'nobody')).toBe(false);
  });
});
