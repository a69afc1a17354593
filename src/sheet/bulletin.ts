/**
 * The monthly 通报 draft as a Word document (`docx`): the county's figures and each township's (the roll-up,
 * townships in roster order, no per-person ranking), and the numbered notices issued and closed in the month.
 * The organisation department edits it before issuing it. `bulletinDocx` is pure (facts in, bytes out);
 * `exportBulletin` reads the roll-up and the notices.
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { FiguresSource } from '../attendance/figures.js';
import { localDate, monthDates } from '../kit/dates.js';
import { NoticeRepo } from '../notices/repo.js';
import type { Notice } from '../notices/notice.js';
import type { Rollup } from '../rollup/rollup.js';
import { loadRollup } from '../rollup/service.js';
import type { Roster } from '../roster/roster.js';
import * as T from '../../templates/bulletin.js';

/** What the draft says. */
export interface BulletinFacts {
  county: string | undefined;
  month: string;
  rollup: Rollup;
  /** Notices issued in the month, and those closed (销号) in it with the day, oldest first. */
  issued: readonly Notice[];
  closed: readonly { notice: Notice; on: string }[];
}

const para = (text: string, opts: { bold?: boolean } = {}) =>
  new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text, ...(opts.bold ? { bold: true } : {}) })] });

const heading = (text: string) =>
  new Paragraph({
    heading: HeadingLevel.HEADING_1,
    spacing: { before: 240, after: 120 },
    children: [new TextRun(text)],
  });

function table(header: readonly string[], rows: readonly (readonly string[])[]): Table {
  const row = (cells: readonly string[], bold: boolean) =>
    new TableRow({
      tableHeader: bold,
      children: cells.map(
        (text) =>
          new TableCell({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold })] })],
          }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(header, true), ...rows.map((r) => row(r, false))],
  });
}

/** The draft's `.docx` bytes. */
export async function bulletinDocx(f: BulletinFacts): Promise<Buffer> {
  const { rollup: r } = f;
  const title = T.title(f.county, f.month);
  const doc = new Document({
    creator: 'zhucun-bot',
    title,
    sections: [
      {
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [new TextRun(title)],
          }),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(T.DRAFT_NOTE)] }),
          heading(T.SECTIONS.county),
          para(T.countyParagraph(f.month, r.phase, r.today, r.total)),
          heading(T.SECTIONS.townships),
          para(T.TOWNSHIP_INTRO),
          table(
            T.townshipHeader(r.phase),
            r.townships.map((t) => T.townshipRow(t.name, r.phase, t)),
          ),
          heading(T.SECTIONS.notices),
          para(
            T.noticeSummary(
              f.issued,
              f.closed.map((c) => c.notice),
            ),
          ),
          para(T.ISSUED_TITLE, { bold: true }),
          ...(f.issued.length ? f.issued.map((n) => para(T.issuedLine(n))) : [para(T.NONE)]),
          para(T.CLOSED_TITLE, { bold: true }),
          ...(f.closed.length ? f.closed.map((c) => para(T.closedLine(c.notice, c.on))) : [para(T.NONE)]),
          ...T.SIGNATURE.map(
            (line) => new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun(line)] }),
          ),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The day a notice was closed (销号), or undefined when it is not. */
function closedOn(n: Notice): string | undefined {
  return n.decision?.kind === 'close' ? localDate(new Date(n.decision.at)) : undefined;
}

/**
 * Read the facts of `month`'s draft as of `now`: the county's roll-up (every township, in roster order) and the
 * notices issued in the month and closed in it (whenever issued). Throws RangeError for a malformed month.
 */
export async function bulletinFacts(
  src: FiguresSource,
  roster: Roster,
  month: string,
  now: Date,
): Promise<BulletinFacts> {
  const dates = monthDates(month);
  const [first, last] = [dates[0]!, dates.at(-1)!];
  const scope = { county: true, townships: [...roster.townships.keys()] };
  const repo = new NoticeRepo(src.redis, src.keys);
  const [rollup, upToEnd] = await Promise.all([
    loadRollup(src, roster, scope, month, now),
    // A notice closed in the month was issued by its end: those are all the candidates.
    repo.issuedBetween('1970-01-01', last),
  ]);
  const issued = upToEnd.filter((n) => n.issuedOn >= first);
  const closed = upToEnd
    .map((notice) => ({ notice, on: closedOn(notice) }))
    .filter((c): c is { notice: Notice; on: string } => c.on !== undefined && c.on >= first && c.on <= last)
    .sort((a, b) => a.on.localeCompare(b.on) || a.notice.no.localeCompare(b.notice.no));
  return { county: roster.data.county, month, rollup, issued, closed };
}

/** An exported draft: the bytes and what it counts. */
export interface ExportedBulletin {
  bytes: Buffer;
  cadres: number;
  issued: number;
  closed: number;
}

/** The `.docx` of `month` as of `now`. */
export async function exportBulletin(
  src: FiguresSource,
  roster: Roster,
  month: string,
  now: Date,
): Promise<ExportedBulletin> {
  const facts = await bulletinFacts(src, roster, month, now);
  return {
    bytes: await bulletinDocx(facts),
    cadres: facts.rollup.total.cadres,
    issued: facts.issued.length,
    closed: facts.closed.length,
  };
}
