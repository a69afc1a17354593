/**
 * `zhucun roster import FILE | diff FILE | export | check FILE | verify [FILE]`. A file is validated completely before Redis is
 * touched, and an import is one write of the whole roster with the assignment histories, so a bad file never
 * leaves a half-imported roster behind. `diff` prints what `import` would change; `import` prints the same and
 * records a `roster.import` entry in the audit trail. The policy file (`ZHUCUN_POLICY`, default
 * `config/policy.yaml`) says whether the shape of the work groups is a warning or an error (`roster.strictGroups`).
 * `verify` compares the roster's userids with WeCom's address book.
 */
import { randomUUID } from 'node:crypto';
import { cliActor } from '../audit/actor.js';
import { parseArgs } from 'node:util';
import {
  approverGap,
  diffCountsLine,
  diffReport,
  imported,
  invalidApprovers,
  nothingImported,
  usage,
  valid,
  verifyReport,
  warningLine,
  type RosterCounts,
} from '../../templates/roster.js';
import { loadPolicy } from '../policy/policy.js';
import { approverGaps } from '../roster/approvers.js';
import { exportRoster, loadRoster, RosterError, type RosterRead } from '../roster/load.js';
import type { ImportPlan } from '../roster/plan.js';
import { Roster } from '../roster/roster.js';
import { verifyRoster, type DirectoryView } from '../roster/verify.js';
import type { RosterData } from '../roster/schema.js';
import { RosterImportError, type RosterStore } from '../roster/store.js';
import { printJson, UsageError, type CliIO } from './io.js';
import { parseNow } from './options.js';

/** Opens the roster store on demand: `check` never connects, and a failed validation connects to nothing. */
export type OpenRosterStore = () => Promise<{ store: RosterStore; close(): Promise<void> }>;

/** Reads WeCom's address book and the app's visibility range (src/wecom/directory.ts), for `verify`. */
export type ReadDirectory = () => Promise<DirectoryView>;

/**
 * Run one `zhucun roster` command. `open` connects to the deployment's Redis; the caller decides which one (the
 * running server's, or a test's). Returns the exit code: 0 done, 1 invalid file or nothing to export; a wrong
 * command line throws `UsageError` (exit 2 from `main`).
 */
export async function run(
  argv: string[],
  io: CliIO,
  open: OpenRosterStore,
  readDirectory?: ReadDirectory,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [action, ...files] = positionals;
  if (values.help) {
    io.out(usage);
    return 0;
  }
  if (action === 'export') {
    if (files.length) throw new UsageError(`export takes no file (it prints to stdout)\n\n${usage}`);
    return exportCommand(io, open, values.json);
  }
  if (action === 'verify') {
    if (files.length > 1) throw new UsageError(`verify takes at most one FILE\n\n${usage}`);
    if (!readDirectory) throw new UsageError(`verify needs WeCom (WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_APP_SECRET)`);
    return verifyCommand(files[0], io, open, readDirectory, values.json);
  }
  if (action !== 'import' && action !== 'check' && action !== 'diff')
    throw new UsageError(`${action ? `unknown command "${action}"` : 'no command'}\n\n${usage}`);
  if (files.length !== 1) throw new UsageError(`${action} takes exactly one FILE\n\n${usage}`);
  const file = files[0]!;

  const read = await readFile(file, io, values.json ? jsonFlag(action) : undefined);
  if (!read) return 1;
  const { data, warnings } = read;
  for (const w of warnings) io.err(warningLine(w));
  // Without --now, the store's clock dates the import (checked here, before anything is read).
  const given = values.now === undefined ? undefined : parseNow(values.now);
  if (action === 'diff') return diffCommand(file, data, warnings, given, io, open, values.json);
  const counts = countsOf(data);
  // A level with nobody to approve leave: an error of `check` (exit 1); `import` still imports (the next level
  // up decides meanwhile) and prints the same lines.
  const gaps = approverGaps(data);
  for (const gap of gaps) io.err(approverGap(file, gap));
  if (action === 'check') {
    if (values.json) printJson(io, { valid: !gaps.length, counts, approverErrors: gaps, warnings });
    else io.out(gaps.length ? invalidApprovers(file, gaps.length) : valid(file, counts));
    return gaps.length ? 1 : 0;
  }

  const { store, close } = await open();
  let plan: ImportPlan;
  try {
    const now = given ?? store.now();
    try {
      plan = await store.replace(data, now);
    } catch (err) {
      if (!(err instanceof RosterImportError)) throw err;
      return refused(io, file, err.problems, 'imported', values.json);
    }
    await store.audit({
      kind: 'roster.import',
      actor: cliActor(),
      channel: 'cli',
      at: now.getTime(),
      id: `roster.import:${randomUUID()}`,
      ref: file,
      summary: `${counts.cadres} cadres; ${diffCountsLine(plan.diff)}`,
    });
  } finally {
    await close();
  }
  io.log.info({ file, counts }, 'roster imported');
  if (values.json)
    printJson(io, { imported: true, counts, sample: Boolean(data.sample), changes: plan.diff, warnings });
  else io.out(imported(file, counts, Boolean(data.sample)) + diffReport(file, plan.diff));
  return 0;
}

function jsonFlag(action: string): string {
  return action === 'import' ? 'imported' : action === 'verify' ? 'verified' : 'valid';
}

/**
 * Read and validate `file` under the policy's `roster.strictGroups`; an invalid file is reported (on stderr, and
 * as one JSON document under `flag` when given) and gives undefined.
 */
async function readFile(file: string, io: CliIO, flag: string | undefined): Promise<RosterRead | undefined> {
  const policy = loadPolicy(io.env.ZHUCUN_POLICY?.trim() || 'config/policy.yaml', (line) => io.err(`${line}\n`));
  try {
    return await loadRoster(file, { strictGroups: policy.roster.strictGroups });
  } catch (err) {
    if (!(err instanceof RosterError)) throw err;
    io.err(`${err.message}\n`);
    if (flag) printJson(io, { [flag]: false, problems: err.problems });
    return undefined;
  }
}

/** `verify [FILE]`: the file's roster (validated first) or the imported one, against WeCom's address book. */
async function verifyCommand(
  file: string | undefined,
  io: CliIO,
  open: OpenRosterStore,
  readDirectory: ReadDirectory,
  json: boolean,
): Promise<number> {
  let roster: Roster;
  if (file) {
    const read = await readFile(file, io, json ? 'verified' : undefined);
    if (!read) return 1;
    roster = new Roster(read.data);
  } else {
    const { store, close } = await open();
    try {
      roster = await store.get();
    } finally {
      await close();
    }
    if (!roster.data.townships.length) {
      io.err(nothingImported);
      return 1;
    }
  }
  const result = verifyRoster(roster, await readDirectory());
  const source = file ?? 'the imported roster';
  const report = verifyReport(source, result);
  if (json) printJson(io, { verified: !result.problems.length, ...result });
  if (result.problems.length) io.err(report);
  else if (!json) io.out(report);
  return result.problems.length ? 1 : 0;
}

/** The file names someone the stored roster never had: nothing changes. */
function refused(io: CliIO, file: string, problems: string[], flag: string, json: boolean): number {
  const lines = problems.map((p) => `${file}: ${p}`);
  io.err(`${lines.join('\n')}\n`);
  if (json) printJson(io, { [flag]: false, problems: lines });
  return 1;
}

async function diffCommand(
  file: string,
  data: RosterData,
  warnings: string[],
  now: Date | undefined,
  io: CliIO,
  open: OpenRosterStore,
  json: boolean,
): Promise<number> {
  const { store, close } = await open();
  let plan: ImportPlan;
  try {
    plan = await store.plan(data, now ?? store.now());
  } finally {
    await close();
  }
  if (plan.problems.length) return refused(io, file, plan.problems, 'valid', json);
  if (json) printJson(io, { valid: true, changes: plan.diff, warnings });
  else io.out(diffReport(file, plan.diff));
  return 0;
}

async function exportCommand(io: CliIO, open: OpenRosterStore, json: boolean): Promise<number> {
  const { store, close } = await open();
  let data: RosterData;
  try {
    data = (await store.get()).data;
  } finally {
    await close();
  }
  // An empty roster is what the store returns before any import; exporting it would write an invalid file.
  if (!data.townships.length) {
    io.err(nothingImported);
    return 1;
  }
  if (json) printJson(io, data);
  else io.out(exportRoster(data));
  return 0;
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        now: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    // parseArgs throws a TypeError for an unknown option; for the user it is a usage error like any other.
    throw new UsageError(`${(err as Error).message}\n\n${usage}`);
  }
}

/** How many of each kind of entry a roster holds, for the summary line and `--json` output. */
export function countsOf(data: RosterData): RosterCounts {
  return {
    townships: data.townships.length,
    workGroups: data.workGroups.length,
    villages: data.villages.length,
    cadres: data.cadres.length,
    supervisors: data.supervisors.length,
    groups: data.groups.length,
    people: data.people?.length ?? 0,
    contacts: data.contacts?.length ?? 0,
    sendingUnits: data.sendingUnits?.length ?? 0,
    mentors: data.mentors?.length ?? 0,
  };
}
