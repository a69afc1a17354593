/** The roster file's optional lifecycle fields (`since`, `replaces`, `departures`): validated strictly. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { exportRoster, parseRoster, RosterError } from '../../src/roster/load.js';

const sampleText = await readFile(fileURLToPath(new URL('../../config/roster.sample.yaml', import.meta.url)), 'utf8');
type YamlDoc = ReturnType<typeof parse>;

function edited(edit: (doc: YamlDoc) => void): string {
  const doc = parse(sampleText);
  edit(doc);
  // A cadre who left the file leaves their mentor's list too (the check refuses a mentee not on the roster).
  const cadres = new Set((doc.cadres as { userid: string }[]).map((c) => c.userid));
  for (const m of doc.mentors as { cadres: string[] }[]) m.cadres = m.cadres.filter((u) => cadres.has(u));
  return stringify(doc);
}

function problems(edit: (doc: YamlDoc) => void): string[] {
  try {
    parseRoster(edited(edit), 'roster.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RosterError);
    return (err as RosterError).problems;
  }
  throw new Error('the edited roster was accepted');
}

/** Replace cadre `userid` by a new one (same village and unit) who `replaces` them. */
function replaceCadre(doc: YamlDoc, userid: string, extra: Record<string, unknown> = {}): void {
  const cadres = doc.cadres as Record<string, unknown>[];
  const i = cadres.findIndex((c) => c.userid === userid);
  cadres[i] = { ...cadres[i], userid: 'XuLiang', name: '徐亮', termStart: '2026-12-08', replaces: userid, ...extra };
}

describe('roster lifecycle fields', () => {
  it('accepts replaces, since and departures, and exports them back', () => {
    const text = edited((doc) => {
      replaceCadre(doc, 'ZhaoWenBo', { since: '2026-12-10' });
      (doc.cadres as Record<string, unknown>[]).splice(3, 1); // SunLiJuan
      doc.departures = [{ userid: 'SunLiJuan', on: '2026-12-03', reason: 'recalled' }];
    });
    const data = parseRoster(text, 'roster.yaml');
    expect(data.cadres.find((c) => c.userid === 'XuLiang')).toMatchObject({
      replaces: 'ZhaoWenBo',
      since: '2026-12-10',
    });
    expect(data.departures).toEqual([{ userid: 'SunLiJuan', on: '2026-12-03', reason: 'recalled' }]);
    expect(parseRoster(exportRoster(data), 'again.yaml')).toEqual(data);
  });

  it('refuses a replaced cadre still among the cadres, replacing oneself, and two successors', () => {
    const found = problems((doc) => {
      const cadres = doc.cadres as Record<string, unknown>[];
      cadres[0]!.replaces = 'LiXiaoYan';
      cadres[1]!.replaces = 'LiXiaoYan';
      cadres[2]!.replaces = 'ZhaoWenBo';
    });
    expect(found).toEqual([
      expect.stringMatching(/cadres\[0\] \(userid "WangJianGuo"\): replaces: "LiXiaoYan" is still among the cadres/),
      expect.stringMatching(
        /cadres\[1\] \(userid "LiXiaoYan"\): replaces: a cadre cannot replace themself \(line \d+\)/,
      ),
      expect.stringMatching(/cadres\[1\] .*"LiXiaoYan" is already replaced by cadres\[0\]/),
      expect.stringMatching(/cadres\[2\] \(userid "ZhaoWenBo"\): replaces: a cadre cannot replace themself/),
    ]);
  });

  it('refuses a since outside the term or not a date', () => {
    const found = problems((doc) => {
      const cadres = doc.cadres as Record<string, unknown>[];
      cadres[0]!.since = '2028-01-01';
      cadres[1]!.since = '2026-02-30';
    });
    expect(found).toEqual([
      expect.stringMatching(/cadres\[0\] .*: since: 2028-01-01 is outside the term 2026-04-28 – 2027-04-27/),
      expect.stringMatching(/cadres\[1\] .*: since: "2026-02-30" is not a calendar date/),
    ]);
  });

  it('refuses a departure of someone still listed, repeated, also replaced, or with an unknown reason', () => {
    expect(
      problems((doc) => {
        replaceCadre(doc, 'ZhaoWenBo');
        doc.departures = [
          { userid: 'WangJianGuo', on: '2026-12-01', reason: 'recalled' },
          { userid: 'ZhaoWenBo', on: '2026-12-01', reason: 'rotation' },
          { userid: 'ZhaoWenBo', on: '2026-12-01', reason: 'term-end' },
        ];
      }),
    ).toEqual([
      expect.stringMatching(
        /departures\[0\] \(userid "WangJianGuo"\): userid: "WangJianGuo" is still among the cadres/,
      ),
      expect.stringMatching(/departures\[1\] \(userid "ZhaoWenBo"\): userid: "ZhaoWenBo" is replaced by cadres\[2\]/),
      expect.stringMatching(/departures\[2\] .*"ZhaoWenBo" is replaced by cadres\[2\]/),
      expect.stringMatching(/departures\[2\] .*"ZhaoWenBo" is already in departures\[1\]/),
    ]);
    expect(
      problems((doc) => {
        doc.departures = [{ userid: 'Gone', on: '2026-12-01', reason: 'fired', extra: 1 }];
      }),
    ).toEqual([
      expect.stringMatching(
        /departures\[0\] \(userid "Gone"\): reason: expected one of "recalled"\|"moved"\|"term-end"\|"rotation"/,
      ),
      expect.stringMatching(/departures\[0\] \(userid "Gone"\): unknown field "extra"/),
    ]);
  });
});
