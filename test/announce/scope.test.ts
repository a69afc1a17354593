/** The audience grammar as a table: what each first word means, and which words are refused (never widened). */
import { describe, expect, it } from 'vitest';
import { readScope, recipientsOf } from '../../src/announce/scope.js';
import { Roster } from '../../src/roster/roster.js';
import { sampleRosterData } from '../helpers/deps.js';

const roster = new Roster(sampleRosterData());
const count = (rest: string, own = {}) => {
  const r = readScope(roster, rest, own);
  if (!r.ok) throw new Error(`${rest}: ${r.problem.code}`);
  return { n: r.scope ? recipientsOf(roster, r.scope).length : 'none', text: r.text };
};

describe('readScope', () => {
  it.each([
    ['全县 开会', 31],
    ['全体 开会', 31],
    ['新田乡 开会', 11],
    ['新田 开会', 11],
    ['xintian 开会', 11],
    ['新田乡第一工作小组 开会', 8],
    ['凤城工作队 开会', 12],
    ['北堡村 开会', 4],
    ['北堡 开会', 4],
    ['牛村 开会', 4],
    ['县财政局 开会', 3],
    ['财政局 开会', 3],
    ['财政 开会', 3],
    ['县农业农村局 开会', 4],
    ['书记 开会', 8],
    ['第一书记 开会', 8],
    ['领队 开会', 3],
    ['队长 开会', 3],
    ['队员 开会', 23],
    ['高村乡 书记 开会', 2],
    ['何静 开会', 1],
    ['王建国、李晓燕、何静 开会', 3],
    ['王建国,李晓燕 开会', 2],
    ['王建国 李晓燕 开会', 2],
  ])('%s → %i recipients, text 开会', (rest, n) => {
    expect(count(rest)).toEqual({ n, text: '开会' });
  });

  it.each([
    ['派出单位 开会', 'generic'],
    ['乡镇 开会', 'generic'],
    ['本单位 开会', 'generic'],
    ['新天乡 开会', 'unknown'],
    ['新天 开会', 'unknown'],
    ['北保村 开会', 'unknown'],
    ['县财正局 开会', 'unknown'],
    ['某某局 开会', 'unknown'],
    ['各村 开会', 'unknown'],
    ['王建过 开会', 'unknown'],
    ['王建国、张三 开会', 'unknown_people'],
    ['张三、李四 开会', 'unknown_people'],
  ])('%s is refused (%s)', (rest, code) => {
    const r = readScope(roster, rest);
    expect(r.ok ? 'read' : r.problem.code).toBe(code);
  });

  it('reads 本单位 / 派出单位 and 本乡镇 as the sender’s own place', () => {
    const unit = { kind: 'unit' as const, id: '县财政局', name: '县财政局' };
    const township = { kind: 'township' as const, id: 'gaocun', name: '高村乡' };
    expect(count('派出单位 报送考勤', { unit })).toEqual({ n: 3, text: '报送考勤' });
    expect(count('本乡镇 开会', { township })).toEqual({ n: 8, text: '开会' });
  });

  it('reads text without a scope word as text, with no scope', () => {
    expect(count('本周五下午三点在县委党校开会')).toEqual({ n: 'none', text: '本周五下午三点在县委党校开会' });
    expect(count('明天 上午开会')).toEqual({ n: 'none', text: '明天 上午开会' });
    expect(count('新田乡')).toEqual({ n: 11, text: '' });
  });
});
