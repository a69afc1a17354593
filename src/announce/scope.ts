/**
 * The audience grammar of `通知 [范围] 内容`: which words name an audience, matched against the roster with full
 * and short names. Pure functions over the roster; no word that looks like an audience but names none is ever
 * read as "everyone" (see `readScope`).
 */
import { distance } from 'fastest-levenshtein';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { cadresOfPlace, scopeIndex, type Place } from './places.js';
import { peopleLabel, ROLE_LABELS } from '../../templates/announce-scope.js';

export { cadresOfPlace, scopeIndex, type Place } from './places.js';

/** A cadre role word: 书记 (role 书记), 委员 (role 委员), 领队 (the work group's team leader). */
export type RoleWord = 'secretary' | 'member' | 'leader';

export type AnnounceScope =
  | { kind: 'all' }
  | Place
  | { kind: 'role'; role: RoleWord; name: string; within?: Place }
  | { kind: 'people'; ids: string[]; name: string };

/** Words meaning the whole county. */
const COUNTY = new Set(['全县', '全体', '全县干部', '全体干部', '全体驻村干部', '所有人']);
/** Role words and what they mean on the roster. */
const ROLES: Record<string, RoleWord> = {
  书记: 'secretary',
  第一书记: 'secretary',
  委员: 'member',
  队员: 'member',
  领队: 'leader',
  队长: 'leader',
};
/** Words naming a kind of audience without saying which one. */
export const GENERIC = new Set([
  '派出单位',
  '单位',
  '本单位',
  '乡镇',
  '乡镇（街道）',
  '街道',
  '本乡镇',
  '本乡',
  '村',
  '工作队',
]);
/** Endings of place and unit names: a first word ending so is meant as an audience. */
const SCOPE_ENDING = /(乡|镇|街道|村|局|委|办|部|队|中心|站|所|院|单位)$/;
/** Separators between names in `通知 张三、李四 …`. */
const NAME_SEP = /[、，,]/;

function hasRole(c: Cadre, role: RoleWord): boolean {
  return role === 'leader' ? c.teamLeader : c.role === (role === 'secretary' ? '书记' : '委员');
}

/** Who receives an announcement: the cadres of its audience, in roster order. */
export function recipientsOf(roster: Roster, scope: AnnounceScope): Cadre[] {
  switch (scope.kind) {
    case 'all':
      return [...roster.data.cadres];
    case 'role':
      return (scope.within ? cadresOfPlace(roster, scope.within) : roster.data.cadres).filter((c) =>
        hasRole(c, scope.role),
      );
    case 'people':
      return roster.data.cadres.filter((c) => scope.ids.includes(c.userid));
    default:
      return cadresOfPlace(roster, scope);
  }
}

/** Why the first words could not be read as an audience; `candidates` are the closest known names. */
export type ScopeProblem =
  | { code: 'unknown'; word: string; candidates: string[] }
  | { code: 'generic'; word: string; candidates: string[] }
  | { code: 'ambiguous'; word: string; candidates: string[] }
  | { code: 'unknown_people'; word: string; unknown: string[]; candidates: string[] };

export type ScopeReading =
  /** `scope` undefined: the text names no audience (the sender's whole range is meant). */
  { ok: true; scope?: AnnounceScope; text: string } | { ok: false; problem: ScopeProblem };

/** What the sender's own range is called by `本单位` / `本乡镇`, when the sender has one such range. */
export interface OwnRange {
  unit?: Place;
  township?: Place;
}

function knownNames(roster: Roster, index: Map<string, Place[]>): string[] {
  return [...index.keys(), ...Object.keys(ROLES), ...COUNTY, ...roster.data.cadres.map((c) => c.name)];
}

/** Known names close to `word` (edit distance 1 for a two-character name, else up to 2), closest first, at most 5. */
export function closeNames(word: string, names: readonly string[]): string[] {
  const scored = [...new Set(names)]
    .filter((n) => /\p{Script=Han}/u.test(n))
    .map((n) => ({ n, d: distance(word, n) }))
    .filter(({ n, d }) => d <= Math.min(2, Math.max(1, [...n].length - 1)))
    .sort((a, b) => a.d - b.d || a.n.length - b.n.length);
  return scored.slice(0, 5).map((s) => s.n);
}

/** Whether a first word is meant as an audience even though it names none. */
function looksLikeScope(word: string, names: readonly string[]): boolean {
  if (GENERIC.has(word) || SCOPE_ENDING.test(word)) return [...word].length <= 12;
  if (NAME_SEP.test(word)) return word.split(NAME_SEP).every((p) => /^\p{Script=Han}{2,4}$/u.test(p));
  return closeNames(word, names).some((n) => distance(word, n) <= 1);
}

/** Places a word names that hold the same cadres (新田 → 新田乡 and 新田乡驻村工作队) are one audience: the first. */
function sameAudience(roster: Roster, places: Place[]): Place[] {
  const key = (p: Place) =>
    cadresOfPlace(roster, p)
      .map((c) => c.userid)
      .join('|');
  const first = places[0];
  return first && places.every((p) => key(p) === key(first)) ? [first] : places;
}

function splitFirst(text: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return m ? [m[1]!, m[2]!] : ['', ''];
}

/** Read people's names: one word of names separated by 、，, and the following words that are names too. */
function readPeople(roster: Roster, rest: string): { ids: string[]; names: string[]; unknown: string[]; text: string } {
  const byName = new Map<string, Cadre[]>();
  for (const c of roster.data.cadres) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const ids: string[] = [];
  const names: string[] = [];
  const unknown: string[] = [];
  let text = rest;
  for (let first = true; ; first = false) {
    const [word, after] = splitFirst(text);
    const parts = word.split(NAME_SEP).filter(Boolean);
    const allKnown = parts.length > 0 && parts.every((p) => byName.has(p));
    if (!first && !allKnown) break;
    for (const p of parts) {
      const found = byName.get(p);
      if (!found) unknown.push(p);
      else for (const c of found) if (!ids.includes(c.userid)) ids.push(c.userid);
      if (found && !names.includes(p)) names.push(p);
    }
    text = after;
    if (!after) break;
  }
  return { ids, names, unknown, text };
}

/**
 * Read the audience at the start of `rest` (the text after `通知`). The first word is the audience when it is a
 * county word (全县), a township, work group, village or sending unit by full or short name or id, a role word,
 * or cadres' names; a place may be followed by a role word (`新田乡 书记`). A first word that looks like an
 * audience but names none (an ending such as 乡/村/局, a generic word such as 派出单位, a name list, or a near
 * miss of a known name) is a problem with the closest names: never widened to the county. Any other first word
 * starts the text, and the scope is undefined.
 */
export function readScope(roster: Roster, rest: string, own: OwnRange = {}): ScopeReading {
  const index = scopeIndex(roster);
  const names = knownNames(roster, index);
  const [word, after] = splitFirst(rest);
  if (!word) return { ok: true, text: '' };
  if (COUNTY.has(word)) return { ok: true, scope: { kind: 'all' }, text: after };
  if (ROLES[word]) {
    const role = ROLES[word];
    return { ok: true, scope: { kind: 'role', role, name: ROLE_LABELS[role] }, text: after };
  }
  let place: Place | undefined;
  if (word === '本单位' || word === '派出单位') place = own.unit;
  else if (word === '本乡镇' || word === '本乡') place = own.township;
  const found = place ? [place] : sameAudience(roster, index.get(word) ?? []);
  if (found.length > 1) {
    return { ok: false, problem: { code: 'ambiguous', word, candidates: found.map((p) => p.name) } };
  }
  if (found[0]) {
    const within = found[0];
    const [next, afterNext] = splitFirst(after);
    const role = ROLES[next];
    if (role)
      return { ok: true, scope: { kind: 'role', role, name: `${within.name}${next}`, within }, text: afterNext };
    return { ok: true, scope: within, text: after };
  }
  if (GENERIC.has(word)) {
    const kind = /单位/.test(word) ? 'unit' : /村/.test(word) ? 'village' : /队/.test(word) ? 'work-group' : 'township';
    const places = [...index.values()].flat().filter((p) => p.kind === kind);
    const candidates = [...new Set(places.map((p) => p.name))].slice(0, 8);
    return { ok: false, problem: { code: 'generic', word, candidates } };
  }
  const people = readPeople(roster, rest);
  if (people.ids.length && !people.unknown.length)
    return { ok: true, scope: { kind: 'people', ids: people.ids, name: peopleLabel(people.names) }, text: people.text };
  // A lone word is the text itself (`通知 新田乡` alone was answered above as a scope without text).
  const meant = people.ids.length > 0 || (after !== '' && looksLikeScope(word, names));
  if (!meant) return { ok: true, text: rest.trim() };
  if (people.ids.length || NAME_SEP.test(word)) {
    const candidates = [...new Set(people.unknown.flatMap((b) => closeNames(b, names)))];
    return { ok: false, problem: { code: 'unknown_people', word, unknown: people.unknown, candidates } };
  }
  return { ok: false, problem: { code: 'unknown', word, candidates: closeNames(word, names) } };
}
