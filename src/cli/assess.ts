/**
 * `zhucun assess …`: the assessment round's outputs for the organisation department and the townships.
 *
 * - `assess codes VILLAGE COUNT --out FILE.html [--url PUBLIC_URL]`: one-time 评议 codes for a village of the
 *   current round, as a printable page with the QR code of the village's link (the codes are shown only here);
 * - `assess form CADRE --out FILE.docx [--round K1001]`: a cadre's 考核登记表 (name or userid);
 * - `assess summary --out FILE.xlsx [--round K1001]`: the round's summary, by village then name.
 *
 * `--json` prints one JSON document. Exit 0 done, 1 failed (reason on stderr), 2 usage error.
 */
import { writeFile } from 'node:fs/promises';
import QRCode from 'qrcode';
import { AssessRepo } from '../assess/repo.js';
import { registerDocx, summaryXlsx } from '../assess/export.js';
import { issueCodes, roundView } from '../assess/service.js';
import { Tx } from '../redis/tx.js';
import { findVillage } from '../visits/visitors.js';
import { printableCodes } from '../../templates/assess.js';
import { printJson, UsageError, type CliIO, type OpenCliStore } from './io.js';
import { loadRules, parseCli, parseNow } from './options.js';

const USAGE = [
  'usage: zhucun assess codes VILLAGE COUNT --out FILE.html [--url PUBLIC_URL] [--json]',
  '       zhucun assess form CADRE --out FILE.docx [--round K1001] [--json]',
  '       zhucun assess summary --out FILE.xlsx [--round K1001] [--json]',
].join('\n');

function parse(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: {
        out: { type: 'string' },
        round: { type: 'string' },
        url: { type: 'string' },
        now: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
    },
    USAGE,
  );
}

class Failed extends Error {}

export async function run(argv: string[], io: CliIO, open: OpenCliStore): Promise<number> {
  const { values, positionals } = parse(argv);
  const [verb, ...args] = positionals;
  if (!verb || !['codes', 'form', 'summary'].includes(verb)) throw new UsageError(USAGE);
  if (!values.out) throw new UsageError(`--out FILE is required\n${USAGE}`);
  if (verb === 'codes' && (args.length !== 2 || !/^\d{1,5}$/.test(args[1]!)))
    throw new UsageError(`codes needs a village and a count\n${USAGE}`);
  if (verb === 'form' && args.length !== 1) throw new UsageError(`form needs one cadre (name or userid)\n${USAGE}`);
  if (verb === 'summary' && args.length) throw new UsageError(USAGE);
  const now = parseNow(values.now);
  const { policy } = await loadRules(io.env);
  const conn = await open();
  try {
    const repo = new AssessRepo(conn.redis, conn.keys);
    const roster = await conn.roster.get();
    const round = values.round ? await repo.round(values.round.toUpperCase()) : await repo.latest();
    if (!round) throw new Failed(values.round ? `no assessment round ${values.round}` : 'no assessment round yet');
    let summary: Record<string, unknown>;
    if (verb === 'codes') {
      const village = findVillage(roster, args[0]!);
      if (!village) throw new Failed(`no village ${args[0]} on the roster`);
      if (round.status !== 'open') throw new Failed(`round ${round.id} is ${round.status}: no more codes`);
      if (!round.villages.includes(village.id)) throw new Failed(`${village.name} is not in round ${round.id}`);
      const count = Number(args[1]);
      if (count < 1 || count > policy.assess.maxCodes)
        throw new Failed(`the count must be from 1 to ${policy.assess.maxCodes} (assess.maxCodes)`);
      const tx = new Tx();
      const { codes, until } = issueCodes(repo, tx, round, { village: village.id, count, by: 'cli', now, policy });
      const base = values.url ?? io.env.PUBLIC_URL ?? `http://${io.env.HOST ?? '127.0.0.1'}:${io.env.PORT ?? '3000'}`;
      const link = `${base}/pingyi/${encodeURIComponent(village.id)}`;
      const qrSvg = await QRCode.toString(link, { type: 'svg', margin: 1 });
      const html = printableCodes({ village: village.name, round: round.name, link, qrSvg, codes, until });
      await tx.commit(conn.redis);
      await writeFile(values.out, html);
      summary = { file: values.out, round: round.id, village: village.id, codes: codes.length, link };
      if (!values.json) io.out(`wrote ${values.out}: ${codes.length} code(s) for ${village.id} in round ${round.id}\n`);
    } else {
      const view = await roundView(repo, roster, policy, round);
      if (verb === 'form') {
        const matches = round.cadres.filter((u) => u === args[0] || roster.cadres.get(u)?.name === args[0]);
        if (matches.length !== 1)
          throw new Failed(
            matches.length
              ? `several cadres named ${args[0]}: give the userid`
              : `${args[0]} is not in round ${round.id}`,
          );
        const bytes = await registerDocx(roster, view, matches[0]!);
        await writeFile(values.out, bytes);
        summary = { file: values.out, round: round.id, cadre: matches[0], bytes: bytes.length };
        if (!values.json) io.out(`wrote ${values.out}: registration form of ${matches[0]} in round ${round.id}\n`);
      } else {
        const bytes = await summaryXlsx(roster, view);
        await writeFile(values.out, bytes);
        summary = { file: values.out, round: round.id, cadres: round.cadres.length, bytes: bytes.length };
        if (!values.json)
          io.out(`wrote ${values.out}: summary of round ${round.id}, ${round.cadres.length} cadre(s)\n`);
      }
    }
    if (values.json) printJson(io, summary);
    return 0;
  } catch (err) {
    if (!(err instanceof Failed)) throw err;
    io.err(`zhucun assess: ${err.message}\n`);
    return 1;
  } finally {
    await conn.close();
  }
}
