import { describe, expect, it } from 'vitest';
import { activeSpan, type Assignment } from '../../src/roster/assignments.js';
import { planImport } from '../../src/roster/plan.js';
import type { Cadre, RosterData } from '../../src/roster/schema.js';
import { sampleRosterData } from '../helpers/deps.js';

const EMPTY: RosterData = { townships: [], workGroups: [], villages: [], cadres: [], supervisors: [], groups: [] };
const sample = sampleRosterData();

/** The histories after importing `data` over an empty store on `today`. */
function first(data: RosterData, today = '2026-11-01'): Map<string, Assignment[]> {
  return planImport(EMPTY, new Map(), data, today).histories;
}

function edit(data: RosterData, change: (cadres: Cadre[]) => Cadre[], extra: Partial<RosterData> = {}): RosterData {
  return { ...data, cadres: change(data.cadres.map((c) => ({ ...c }))), ...extra };
}

const only = (ids: string[]) => (cs: Cadre[]) => cs.filter((c) => !ids.includes(c.userid));

describe('planImport', () => {
  it('opens one period per cadre of a first import, from the term start', () => {
    const h = first(sample);
    expect(h.size).toBe(31);
    expect(h.get('WangJianGuo')).toEqual([
      expect.objectContaining({
        village: 'beibao',
        villageName: '北堡村',
        township: 'xintian',
        townshipName: '新田乡',
        from: '2026-04-28',
        to: null,
        termStart: '2026-04-28',
        termEnd: '2027-04-27',
      }),
    ]);
  });

  it('ends a cadre missing from the file the day before the import, and keeps their period', () => {
    const stored = first(sample);
    const plan = planImport(sample, stored, edit(sample, only(['SunLiJuan'])), '2026-12-06');
    expect(plan.diff.ended).toEqual([
      { userid: 'SunLiJuan', name: '孙丽娟', village: '北堡村', lastDay: '2026-12-05', reason: 'removed' },
    ]);
    expect(plan.histories.get('SunLiJuan')).toEqual([
      expect.objectContaining({ from: '2026-04-28', to: '2026-12-05', end: 'removed' }),
    ]);
    expect([...plan.histories.keys()]).toEqual(['SunLiJuan']);
  });

  it('ends a replaced cadre the day before their successor starts, and opens the successor from the term start', () => {
    const stored = first(sample);
    const next = edit(sample, (cs) => [
      ...only(['ZhaoWenBo'])(cs),
      {
        ...cs.find((c) => c.userid === 'ZhaoWenBo')!,
        userid: 'XuLiang',
        name: '徐亮',
        termStart: '2026-12-08',
        termEnd: '2027-12-07',
        replaces: 'ZhaoWenBo',
      },
    ]);
    const plan = planImport(sample, stored, next, '2026-12-06');
    expect(plan.diff.ended).toEqual([
      {
        userid: 'ZhaoWenBo',
        name: '赵文博',
        village: '北堡村',
        lastDay: '2026-12-07',
        reason: 'replaced',
        by: { userid: 'XuLiang', name: '徐亮' },
      },
    ]);
    expect(plan.diff.added).toEqual([{ userid: 'XuLiang', name: '徐亮', village: '北堡村', from: '2026-12-08' }]);
    expect(plan.histories.get('ZhaoWenBo')![0]).toMatchObject({ to: '2026-12-07', end: 'replaced', by: 'XuLiang' });
  });

  it('moves a cadre from the import date (or `since`): the old period ends the day before', () => {
    const stored = first(sample);
    const moved = edit(sample, (cs) => cs.map((c) => (c.userid === 'LiXiaoYan' ? { ...c, village: 'niucun' } : c)));
    const plan = planImport(sample, stored, moved, '2026-12-06');
    expect(plan.diff.moved).toEqual([
      { userid: 'LiXiaoYan', name: '李晓燕', fromVillage: '北堡村', toVillage: '牛村', on: '2026-12-06' },
    ]);
    expect(plan.histories.get('LiXiaoYan')).toEqual([
      expect.objectContaining({ village: 'beibao', from: '2026-04-28', to: '2026-12-05', end: 'moved' }),
      expect.objectContaining({ village: 'niucun', from: '2026-12-06', to: null }),
    ]);
    const since = edit(moved, (cs) => cs.map((c) => (c.userid === 'LiXiaoYan' ? { ...c, since: '2026-12-10' } : c)));
    const later = planImport(sample, stored, since, '2026-12-06').histories.get('LiXiaoYan')!;
    expect(later.map((a) => [a.from, a.to])).toEqual([
      ['2026-04-28', '2026-12-09'],
      ['2026-12-10', null],
    ]);
  });

  it('ends a departure on the day the file gives, for the reason it gives', () => {
    const stored = first(sample);
    const next = edit(sample, only(['HeJing']), {
      departures: [{ userid: 'HeJing', on: '2026-12-03', reason: 'recalled' }],
    });
    const plan = planImport(sample, stored, next, '2026-12-06');
    expect(plan.diff.ended).toEqual([
      { userid: 'HeJing', name: '何静', village: '柳河村', lastDay: '2026-12-03', reason: 'recalled' },
    ]);
    // Importing the same file again changes nothing.
    const again = planImport(next, new Map([...stored, ...plan.histories]), next, '2026-12-07');
    expect(again.histories.size).toBe(0);
    expect(again.diff.ended).toEqual([]);
  });

  it('opens a new term on a later term start (term-end), a rotation when the village changes too', () => {
    const stored = first(sample);
    const next = edit(sample, (cs) =>
      cs.map((c) =>
        c.userid === 'WangJianGuo'
          ? { ...c, termStart: '2026-12-01', termEnd: '2027-11-30' }
          : c.userid === 'ZhouMingHui'
            ? { ...c, village: 'chengxiao', termStart: '2026-12-06', termEnd: '2027-12-05' }
            : c,
      ),
    );
    const plan = planImport(sample, stored, next, '2026-12-06');
    expect(plan.diff.terms.map((t) => [t.userid, t.kind, t.after.start])).toEqual([
      ['WangJianGuo', 'new-term', '2026-12-01'],
      ['ZhouMingHui', 'new-term', '2026-12-06'],
    ]);
    expect(plan.histories.get('WangJianGuo')!.map((a) => [a.termStart, a.from, a.to, a.end])).toEqual([
      ['2026-04-28', '2026-04-28', '2026-11-30', 'term-end'],
      ['2026-12-01', '2026-12-01', null, undefined],
    ]);
    expect(plan.histories.get('ZhouMingHui')![0]).toMatchObject({ end: 'rotation', to: '2026-12-05' });
    expect(plan.diff.moved.map((m) => m.userid)).toEqual(['ZhouMingHui']);
  });

  it('corrects term dates, role and team leader in place, without a new period', () => {
    const stored = first(sample);
    const next = edit(sample, (cs) =>
      cs.map((c) => (c.userid === 'LiXiaoYan' ? { ...c, termEnd: '2027-06-30', role: '书记', teamLeader: true } : c)),
    );
    const plan = planImport(sample, stored, next, '2026-12-06');
    expect(plan.diff.terms).toEqual([
      expect.objectContaining({
        userid: 'LiXiaoYan',
        kind: 'corrected',
        after: { start: '2026-04-28', end: '2027-06-30' },
      }),
    ]);
    expect(plan.diff.changed.map((c) => [c.field, c.before, c.after])).toEqual([
      ['role', '委员', '书记'],
      ['teamLeader', 'false', 'true'],
    ]);
    expect(plan.histories.get('LiXiaoYan')).toEqual([
      expect.objectContaining({ from: '2026-04-28', to: null, termEnd: '2027-06-30', role: '书记' }),
    ]);
  });

  it('ends a period whose term is over at the term end', () => {
    const stored = first(sample);
    const plan = planImport(sample, stored, sample, '2027-05-02');
    expect(plan.diff.ended).toHaveLength(31);
    expect(plan.diff.ended[0]).toMatchObject({ lastDay: '2027-04-27', reason: 'term-end' });
    const again = planImport(sample, new Map([...stored, ...plan.histories]), sample, '2027-05-03');
    expect(again.diff.added).toEqual([]);
    expect(again.histories.size).toBe(0);
  });

  it('brings back a cadre who left, from the day after their last period', () => {
    const stored = first(sample);
    const without = edit(sample, only(['SunLiJuan']));
    const gone = planImport(sample, stored, without, '2026-12-06');
    const back = planImport(without, new Map([...stored, ...gone.histories]), sample, '2026-12-20');
    expect(back.diff.added).toEqual([{ userid: 'SunLiJuan', name: '孙丽娟', village: '北堡村', from: '2026-12-06' }]);
    expect(back.histories.get('SunLiJuan')).toHaveLength(2);
  });

  it('refuses `replaces` and `departures` naming someone never on the roster', () => {
    const next = edit(sample, (cs) => cs.map((c, i) => (i === 0 ? { ...c, replaces: 'Nobody' } : c)), {
      departures: [{ userid: 'Ghost', on: '2026-12-01', reason: 'recalled' }],
    });
    expect(planImport(sample, first(sample), next, '2026-12-06').problems).toEqual([
      'cadres[0] (userid "WangJianGuo"): replaces: "Nobody" was never on the roster',
      'departures[0] (userid "Ghost"): userid: "Ghost" was never on the roster',
    ]);
  });

  it('lists townships, villages, supervisors and groups added and removed', () => {
    const next: RosterData = {
      ...sample,
      villages: sample.villages.filter((v) => v.id !== 'aikou'),
      supervisors: sample.supervisors.slice(1),
      groups: [...sample.groups, { chatid: 'wrNEW', workGroup: 'gaocun-team' }],
      cadres: sample.cadres.filter((c) => c.village !== 'aikou'),
    };
    const d = planImport(sample, first(sample), next, '2026-12-06').diff;
    expect(d.villages).toEqual({ added: [], removed: ['aikou (隘口村)'] });
    expect(d.supervisors.removed).toHaveLength(1);
    expect(d.groups).toEqual({ added: ['wrNEW'], removed: [] });
    expect(d.townships).toEqual({ added: [], removed: [] });
  });

  it('builds the history of a roster stored before histories were kept, and writes it with the import', () => {
    const plan = planImport(sample, new Map(), sample, '2026-12-06');
    expect(plan.histories.size).toBe(31);
    expect(plan.diff.added).toEqual([]);
    expect(activeSpan(plan.histories.get('WangJianGuo')![0]!)).toEqual({ start: '2026-04-28', end: '2027-04-27' });
  });
});
