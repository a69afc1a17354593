/**
 * Reading and writing the roster file. `parseRoster` checks a YAML roster in two passes: the zod schema (shape and
 * types), then the references between entries (a cadre's village exists, a work group's villages lie in its
 * township, …). Every problem found is reported at once, each naming the file, the entry, the field and the line,
 * because the roster is edited by hand and one round trip per typo wastes an afternoon.
 */
import { readFile } from 'node:fs/promises';
import { Document, LineCounter, parseDocument, visit, type Node } from 'yaml';
import type { z } from 'zod';
import { exportHeader } from '../../templates/roster.js';
import { CONTACT_FIELDS, rosterSchema, type RosterData } from './schema.js';

/** How many problems one error message lists; the rest are counted, not shown. */
const MAX_SHOWN = 20;

/** Which field names an entry of each section, so that a message can say `cadres[3] (userid "zhangwei")`. */
const ENTRY_KEY: Record<string, string> = {
  townships: 'id',
  workGroups: 'id',
  villages: 'id',
  cadres: 'userid',
  supervisors: 'userid',
  groups: 'chatid',
  departures: 'userid',
  people: 'userid',
  contacts: 'village',
  sendingUnits: 'name',
  mentors: 'userid',
};

/** A roster file that cannot be used; `problems` holds one line per problem, each starting with the file name. */
export class RosterError extends Error {
  override name = 'RosterError';
  constructor(
    readonly fileName: string,
    readonly problems: string[],
  ) {
    const shown = problems.slice(0, MAX_SHOWN);
    if (problems.length > MAX_SHOWN) shown.push(`${fileName}: … and ${problems.length - MAX_SHOWN} more problems`);
    super(shown.join('\n'));
  }
}

/** How strict the roster check is (the policy's `roster` section). */
export interface RosterOptions {
  /** One 领队 per township and 2–3 villages per work group are errors rather than warnings. */
  strictGroups?: boolean;
}

/** A valid roster and what the check warns about (each line `file: entry: field: message (line n)`). */
export interface RosterRead {
  data: RosterData;
  warnings: string[];
}

/**
 * Parse and validate a roster written in YAML. `fileName` only labels the messages. Throws a `RosterError` listing
 * every problem (syntax, schema, then references — the later passes run only when the earlier ones pass, since
 * they need well-formed data). Returns the roster with defaults filled in, ready for `RosterStore.replace`.
 */
export function parseRoster(text: string, fileName: string, opts: RosterOptions = {}): RosterData {
  return readRoster(text, fileName, opts).data;
}

/**
 * `parseRoster`, with the warnings: what the roster lacks without being unusable (a village without its four
 * contacts, a sending unit without its leaders, cadres without a mentor) and the shape of the work groups (one
 * 领队 per township, 2–3 villages per group), which `strictGroups` turns into errors.
 */
export function readRoster(text: string, fileName: string, opts: RosterOptions = {}): RosterRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length) {
    throw new RosterError(
      fileName,
      // yaml's message says "at line n, column m:" and then quotes the source; the first line is enough.
      doc.errors.map((e) => `${fileName}: YAML syntax: ${e.message.split('\n')[0]!.replace(/:$/, '')}`),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) throw new RosterError(fileName, [`${fileName}: the file is empty`]);

  const lineOf = (path: readonly PropertyKey[]) => lineOfPath(doc, lines, path);
  const parsed = rosterSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: i.path, message: issueMessage(i) }));
    throw new RosterError(
      fileName,
      problems.map((p) => describe(fileName, raw, p, lineOf)),
    );
  }
  const problems = checkReferences(parsed.data);
  const groups = groupFindings(parsed.data);
  if (opts.strictGroups) problems.push(...groups);
  if (problems.length)
    throw new RosterError(
      fileName,
      problems.map((p) => describe(fileName, raw, p, lineOf)),
    );
  const warnings = [...(opts.strictGroups ? [] : groups), ...gapFindings(parsed.data)];
  return { data: parsed.data, warnings: warnings.map((p) => describe(fileName, raw, p, lineOf)) };
}

/** Read and validate a roster file; an unreadable file is a `RosterError` too, so callers handle one error type. */
export async function loadRosterFile(path: string, opts: RosterOptions = {}): Promise<RosterData> {
  return (await loadRoster(path, opts)).data;
}

/** `loadRosterFile` with the warnings (see `readRoster`). */
export async function loadRoster(path: string, opts: RosterOptions = {}): Promise<RosterRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RosterError(path, [`${path}: cannot read the file (${code ?? (err as Error).message})`]);
  }
  return readRoster(text, path, opts);
}

/**
 * The roster as YAML in the shape `parseRoster` reads: `parseRoster(exportRoster(x))` deep-equals `x`. Each entry
 * (a village, a cadre, …) is written on one line, as in a hand-written roster, so thirty cadres stay readable and a
 * diff shows one line per changed person; fields at their default (`teamLeader: false`) are left out.
 */
export function exportRoster(data: RosterData): string {
  const omitDefaults = (key: string, value: unknown) =>
    (key === 'teamLeader' || key === 'usesWecomCheckin') && value === false ? undefined : value;
  const doc = new Document(JSON.parse(JSON.stringify(data, omitDefaults)) as unknown);
  visit(doc, {
    Map(_, node, path) {
      // Below the top-level mapping every map is one entry (a village, a cadre, …).
      if (path.length > 2) node.flow = true;
    },
  });
  doc.commentBefore = exportHeader(Boolean(data.sample));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** A problem found in the roster: where (a path into the file's data) and what, without the file name. */
interface Problem {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * Cross-references the schema cannot express. Each problem points at the field to fix, so that the message
 * shows its line. Supervisors may repeat a userid (one person supervising two scopes); cadres may not.
 */
function checkReferences(d: RosterData): Problem[] {
  const out: Problem[] = [];
  const add = (path: PropertyKey[], message: string) => out.push({ path, message });
  const townships = indexBy(d.townships, 'townships', 'id', add);
  const villages = indexBy(d.villages, 'villages', 'id', add);
  const workGroups = indexBy(d.workGroups, 'workGroups', 'id', add);
  indexBy(d.cadres, 'cadres', 'userid', add);
  indexBy(d.groups, 'groups', 'chatid', add);

  d.villages.forEach((v, i) => {
    if (!townships.has(v.township)) add(['villages', i, 'township'], `"${v.township}" is not in townships`);
  });
  const workGroupOfVillage = new Map<string, number>();
  d.workGroups.forEach((w, i) => {
    if (!townships.has(w.township)) add(['workGroups', i, 'township'], `"${w.township}" is not in townships`);
    w.villages.forEach((id, j) => {
      const path = ['workGroups', i, 'villages', j];
      const village = villages.get(id);
      if (!village) return add(path, `"${id}" is not in villages`);
      if (village.township !== w.township)
        add(path, `"${id}" is in township "${village.township}", not "${w.township}"`);
      const other = seenBefore(workGroupOfVillage, id, i);
      if (other !== undefined) add(path, `"${id}" is already in workGroups[${other}]`);
    });
  });

  const units = new Set(d.cadres.map((c) => c.sendingUnit));
  const names = new Map<string, { name: string; at: string }>();
  const sameName = (path: PropertyKey[], userid: string, name: string, at: string) => {
    const seen = names.get(userid);
    if (!seen) names.set(userid, { name, at });
    else if (seen.name !== name)
      add(path, `"${name}" differs from "${seen.name}" given for the same userid in ${seen.at}`);
  };
  d.cadres.forEach((c, i) => {
    if (!villages.has(c.village)) add(['cadres', i, 'village'], `"${c.village}" is not in villages`);
    const start = realDate(c.termStart);
    const end = realDate(c.termEnd);
    if (!start) add(['cadres', i, 'termStart'], `"${c.termStart}" is not a calendar date`);
    if (!end) add(['cadres', i, 'termEnd'], `"${c.termEnd}" is not a calendar date`);
    if (start && end && c.termStart > c.termEnd)
      add(['cadres', i, 'termEnd'], `${c.termEnd} is before termStart ${c.termStart}`);
    sameName(['cadres', i, 'name'], c.userid, c.name, `cadres[${i}]`);
  });
  out.push(...checkLifecycle(d));

  const scopes = new Map<string, number>();
  d.supervisors.forEach((s, i) => {
    const path = ['supervisors', i, 'scope'];
    if (s.kind === 'township' && !townships.has(s.scope)) add(path, `"${s.scope}" is not in townships (kind township)`);
    if (s.kind === 'sending-unit' && !units.has(s.scope))
      add(path, `"${s.scope}" is no cadre's sendingUnit (kind sending-unit)`);
    if (s.kind === 'org-department' && s.scope !== 'county') add(path, `must be "county" for kind org-department`);
    const other = seenBefore(scopes, `${s.userid}\u0000${s.kind}\u0000${s.scope}`, i);
    if (other !== undefined) add(path, `repeats supervisors[${other}] (same userid, kind and scope)`);
    sameName(['supervisors', i, 'name'], s.userid, s.name, `supervisors[${i}]`);
  });

  const groupOf = new Map<string, number>();
  d.groups.forEach((g, i) => {
    const field = g.township ? 'township' : 'workGroup';
    const id = g.township ?? g.workGroup!;
    if (!(g.township ? townships : workGroups).has(id)) return add(['groups', i, field], `"${id}" is not in ${field}s`);
    const other = seenBefore(groupOf, `${field}:${id}`, i);
    if (other !== undefined) add(['groups', i, field], `"${id}" already has a group (groups[${other}])`);
  });
  out.push(...checkLinks(d, villages, units));
  return out;
}

const ON_ROSTER = 'is not on the roster (cadres, supervisors or people)';

/**
 * The people, the four contacts, the sending units' leaders and the mentors: every userid they name is on the
 * roster, each village and unit has one entry, a mentor is a township leader and a mentee a cadre of that
 * township.
 */
function checkLinks(d: RosterData, villages: Map<string, unknown>, units: Set<string>): Problem[] {
  const out: Problem[] = [];
  const add = (path: PropertyKey[], message: string) => out.push({ path, message });
  const cadres = new Map(d.cadres.map((c) => [c.userid, c]));
  const supervisors = new Set(d.supervisors.map((s) => s.userid));
  const people = indexBy(d.people ?? [], 'people', 'userid', add);
  (d.people ?? []).forEach((p, i) => {
    if (cadres.has(p.userid) || supervisors.has(p.userid))
      add(
        ['people', i, 'userid'],
        `"${p.userid}" is already among the ${cadres.has(p.userid) ? 'cadres' : 'supervisors'}: list them there only`,
      );
  });
  const known = (u: string) => cadres.has(u) || supervisors.has(u) || people.has(u);

  const contactOf = new Map<string, number>();
  (d.contacts ?? []).forEach((k, i) => {
    if (!villages.has(k.village)) add(['contacts', i, 'village'], `"${k.village}" is not in villages`);
    const other = seenBefore(contactOf, k.village, i);
    if (other !== undefined)
      add(['contacts', i, 'village'], `"${k.village}" already has its contacts in contacts[${other}]`);
    for (const field of CONTACT_FIELDS) if (!known(k[field])) add(['contacts', i, field], `"${k[field]}" ${ON_ROSTER}`);
  });

  const unitAt = new Map<string, number>();
  (d.sendingUnits ?? []).forEach((u, i) => {
    if (!units.has(u.name)) add(['sendingUnits', i, 'name'], `"${u.name}" is no cadre's sendingUnit`);
    const other = seenBefore(unitAt, u.name, i);
    if (other !== undefined) add(['sendingUnits', i, 'name'], `"${u.name}" is already in sendingUnits[${other}]`);
    for (const field of ['mainLeader', 'deputy'] as const)
      if (!known(u[field])) add(['sendingUnits', i, field], `"${u[field]}" ${ON_ROSTER}`);
    if (u.deputy === u.mainLeader)
      add(
        ['sendingUnits', i, 'deputy'],
        `"${u.deputy}" is the main leader too: the deputy in charge is another person`,
      );
  });

  const townshipOfVillage = new Map(d.villages.map((v) => [v.id, v.township]));
  const townshipsLed = new Map<string, Set<string>>();
  for (const s of d.supervisors) {
    if (s.kind !== 'township') continue;
    const set = townshipsLed.get(s.userid) ?? new Set<string>();
    set.add(s.scope);
    townshipsLed.set(s.userid, set);
  }
  const mentorAt = new Map<string, number>();
  (d.mentors ?? []).forEach((m, i) => {
    const led = townshipsLed.get(m.userid);
    if (!known(m.userid)) add(['mentors', i, 'userid'], `"${m.userid}" ${ON_ROSTER}`);
    else if (!led) add(['mentors', i, 'userid'], `"${m.userid}" is no township leader (a supervisor of kind township)`);
    const other = seenBefore(mentorAt, m.userid, i);
    if (other !== undefined) add(['mentors', i, 'userid'], `"${m.userid}" is already in mentors[${other}]`);
    const seen = new Map<string, number>();
    m.cadres.forEach((u, j) => {
      const path = ['mentors', i, 'cadres', j];
      const cadre = cadres.get(u);
      if (!cadre) return add(path, known(u) ? `"${u}" is not a cadre` : `"${u}" ${ON_ROSTER}`);
      const again = seenBefore(seen, u, j);
      if (again !== undefined) add(path, `"${u}" is already at cadres[${again}]`);
      const township = townshipOfVillage.get(cadre.village);
      if (led && township !== undefined && !led.has(township))
        add(path, `"${u}" works in township "${township}", which "${m.userid}" does not lead`);
    });
  });
  return out;
}

/**
 * The shape of the work (seeds: one 领队 per township, work groups of 2–3 neighbouring villages): warnings,
 * errors under the policy's `roster.strictGroups`.
 */
function groupFindings(d: RosterData): Problem[] {
  const out: Problem[] = [];
  const townshipOfVillage = new Map(d.villages.map((v) => [v.id, v.township]));
  const leaders = new Map<string, string[]>();
  for (const c of d.cadres) {
    const t = townshipOfVillage.get(c.village);
    if (c.teamLeader && t !== undefined) leaders.set(t, [...(leaders.get(t) ?? []), c.userid]);
  }
  d.townships.forEach((t, i) => {
    const list = leaders.get(t.id) ?? [];
    if (list.length === 0)
      out.push({ path: ['townships', i], message: 'has no 领队 (a cadre of the township with teamLeader: true)' });
    else if (list.length > 1)
      out.push({
        path: ['townships', i],
        message: `has ${list.length} 领队 (teamLeader: true): ${list.join(', ')}; a township has one`,
      });
  });
  d.workGroups.forEach((w, i) => {
    const n = new Set(w.villages).size;
    if (n < 2 || n > 3)
      out.push({
        path: ['workGroups', i, 'villages'],
        message: `has ${n} village${n === 1 ? '' : 's'}; a work group has 2 or 3 neighbouring villages`,
      });
  });
  return out;
}

/** What the roster lacks: the four contacts of a village, the leaders of a sending unit, a cadre's mentor. */
function gapFindings(d: RosterData): Problem[] {
  const out: Problem[] = [];
  const withContacts = new Set((d.contacts ?? []).map((k) => k.village));
  d.villages.forEach((v, i) => {
    if (!withContacts.has(v.id))
      out.push({ path: ['villages', i], message: 'has no four contacts (四包一): add an entry to contacts' });
  });
  const withLeaders = new Set((d.sendingUnits ?? []).map((u) => u.name));
  const reported = new Set<string>();
  d.cadres.forEach((c, i) => {
    if (withLeaders.has(c.sendingUnit) || reported.has(c.sendingUnit)) return;
    reported.add(c.sendingUnit);
    out.push({
      path: ['cadres', i, 'sendingUnit'],
      message: `sending unit "${c.sendingUnit}" has no main leader and deputy in charge: add it to sendingUnits`,
    });
  });
  const mentored = new Set((d.mentors ?? []).flatMap((m) => m.cadres));
  const townshipOfVillage = new Map(d.villages.map((v) => [v.id, v.township]));
  d.townships.forEach((t, i) => {
    const alone = d.cadres.filter((c) => townshipOfVillage.get(c.village) === t.id && !mentored.has(c.userid));
    if (!alone.length) return;
    const names = alone.slice(0, 5).map((c) => c.userid);
    const more = alone.length > 5 ? ` and ${alone.length - 5} more` : '';
    out.push({
      path: ['townships', i],
      message: `${alone.length} cadre${alone.length > 1 ? 's have' : ' has'} no mentor (传帮带) in mentors: ${names.join(', ')}${more}`,
    });
  });
  return out;
}

/**
 * The optional lifecycle fields: `since` inside the term, `replaces` naming someone who left the file (once),
 * `departures` naming people no longer among the cadres (once each), with real dates.
 */
function checkLifecycle(d: RosterData): Problem[] {
  const out: Problem[] = [];
  const cadres = new Set(d.cadres.map((c) => c.userid));
  const replaced = new Map<string, number>();
  d.cadres.forEach((c, i) => {
    if (c.since !== undefined) {
      if (!realDate(c.since))
        out.push({ path: ['cadres', i, 'since'], message: `"${c.since}" is not a calendar date` });
      else if (c.since < c.termStart || c.since > c.termEnd)
        out.push({
          path: ['cadres', i, 'since'],
          message: `${c.since} is outside the term ${c.termStart} – ${c.termEnd}`,
        });
    }
    if (c.replaces === undefined) return;
    const path = ['cadres', i, 'replaces'];
    if (c.replaces === c.userid) out.push({ path, message: 'a cadre cannot replace themself' });
    else if (cadres.has(c.replaces))
      out.push({ path, message: `"${c.replaces}" is still among the cadres: a replaced cadre leaves the file` });
    const other = seenBefore(replaced, c.replaces, i);
    if (other !== undefined) out.push({ path, message: `"${c.replaces}" is already replaced by cadres[${other}]` });
  });
  const departed = new Map<string, number>();
  (d.departures ?? []).forEach((x, i) => {
    if (!realDate(x.on)) out.push({ path: ['departures', i, 'on'], message: `"${x.on}" is not a calendar date` });
    const path = ['departures', i, 'userid'];
    if (cadres.has(x.userid))
      out.push({ path, message: `"${x.userid}" is still among the cadres: remove them there, or drop this entry` });
    if (replaced.has(x.userid))
      out.push({
        path,
        message: `"${x.userid}" is replaced by cadres[${replaced.get(x.userid)}]: give one or the other`,
      });
    const other = seenBefore(departed, x.userid, i);
    if (other !== undefined) out.push({ path, message: `"${x.userid}" is already in departures[${other}]` });
  });
  return out;
}

/** Entries by their identifying field; a repeated identifier is a problem (the first one wins). */
function indexBy<T, K extends keyof T & string>(
  list: T[],
  section: string,
  key: K,
  add: (path: PropertyKey[], message: string) => void,
): Map<string, T> {
  const map = new Map<string, T>();
  const at = new Map<string, number>();
  list.forEach((item, i) => {
    const value = String(item[key]);
    const first = seenBefore(at, value, i);
    if (first !== undefined) add([section, i, key], `"${value}" is already used by ${section}[${first}]`);
    else map.set(value, item);
  });
  return map;
}

/** Remember where each key first appeared; returns that earlier index when the key is seen again. */
function seenBefore(seen: Map<string, number>, key: string, index: number): number | undefined {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, index);
  return first;
}

/** True for a real day: `2026-02-30` matches the schema's pattern but is no date. */
function realDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** One message line: `file: entry (key "value"): field: message (line n)`. */
function describe(
  fileName: string,
  raw: unknown,
  problem: Problem,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
): string {
  const [section, index, ...field] = problem.path;
  let entry = section === undefined ? '(top level)' : String(section);
  let rest = field;
  if (typeof index === 'number') {
    entry += `[${index}]${labelOf(raw, String(section), index)}`;
  } else if (index !== undefined) {
    rest = [index, ...field];
  }
  const fieldText = rest.length ? `${formatPath(rest)}: ` : '';
  const line = lineOf(problem.path);
  return `${fileName}: ${entry}: ${fieldText}${problem.message}${line ? ` (line ${line})` : ''}`;
}

function labelOf(raw: unknown, section: string, index: number): string {
  const key = ENTRY_KEY[section];
  const list = (raw as Record<string, unknown>)[section];
  const item = Array.isArray(list) ? (list[index] as unknown) : undefined;
  const value = key && item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value.trim() ? ` (${key} "${value}")` : '';
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** zod's wording trimmed for a person editing YAML: "missing" rather than "expected string, received undefined". */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  // A union (a date given as text or as a YAML timestamp) reports each branch; the first branch says it best.
  const first = issue.code === 'invalid_union' ? issue.errors[0]?.[0] : undefined;
  const message = (first ?? issue).message.replace(/^Invalid (input|option): /, '');
  return / received undefined$/.test(message) ? 'missing' : message;
}

/** The line of the deepest YAML node on the path (a missing field points at its entry). */
function lineOfPath(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined;
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
