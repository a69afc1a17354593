/**
 * The outputs of an assessment round: the 考核登记表 of one cadre (.docx, fields in the form's order) and the
 * round's summary (.xlsx), cadres ordered by village then name, never by score. Words come from
 * templates/assess-export.ts.
 */
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, AlignmentType } from 'docx';
import ExcelJS from 'exceljs';
import type { Roster } from '../roster/roster.js';
import * as X from '../../templates/assess-export.js';
import { LEVELS, type Entry } from './model.js';
import { byVillageThenName, type RoundView } from './service.js';

/** The form's rows for one cadre: label and value, in the order printed (the test reads them back so). */
export function registerRows(roster: Roster, v: RoundView, userid: string): { label: string; value: string }[] {
  const cadre = roster.cadres.get(userid);
  const entry: Entry = v.entries.get(userid) ?? { userid, ratings: {}, appeals: [] };
  const village = cadre ? roster.villages.get(cadre.village) : undefined;
  const tally = v.villages.get(village?.id ?? '');
  const p = v.proposals.get(userid);
  return [
    { label: X.labels.name, value: cadre?.name ?? userid },
    { label: X.labels.unit, value: cadre?.sendingUnit ?? '' },
    { label: X.labels.post, value: cadre ? X.post(cadre.role) : '' },
    { label: X.labels.village, value: village?.name ?? '' },
    { label: X.labels.term, value: cadre ? X.term(cadre.termStart, cadre.termEnd) : '' },
    { label: X.labels.summary, value: entry.summary?.text ?? X.none },
    ...LEVELS.map((l) => {
      const r = entry.ratings[l];
      return { label: X.levelLabel[l], value: r ? X.rating(r.grade, r.comment) : X.none };
    }),
    { label: X.labels.review, value: tally ? X.review(tally.page, tally.paper) : X.none },
    { label: X.labels.score, value: p && 'score' in p ? X.score(p.score) : X.none },
    { label: X.labels.proposed, value: entry.final?.proposed ?? (p && 'grade' in p ? p.grade : X.none) },
    { label: X.labels.final, value: entry.final ? X.finalGrade(entry.final.grade, entry.final.reason) : X.none },
    { label: X.labels.appeal, value: entry.appeals.length ? entry.appeals.map(X.appeal).join('；') : X.none },
  ];
}

/** The 考核登记表 of one cadre as a .docx. */
export async function registerDocx(roster: Roster, v: RoundView, userid: string): Promise<Buffer> {
  const rows = registerRows(roster, v, userid);
  const cell = (text: string, bold = false, width = 25) =>
    new TableCell({
      width: { size: width, type: WidthType.PERCENTAGE },
      children: text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] })),
    });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ text: X.registerTitle, bold: true, size: 36 })],
          }),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: X.roundLine(v.round) })] }),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: rows.map((r) => new TableRow({ children: [cell(r.label, true), cell(r.value, false, 75)] })),
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The round's summary as .xlsx: one row per cadre, by village then name. */
export async function summaryXlsx(roster: Roster, v: RoundView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(X.summarySheet);
  ws.addRow([X.roundLine(v.round)]);
  ws.addRow(X.summaryHeader);
  ws.getRow(2).font = { bold: true };
  for (const u of byVillageThenName(roster, v.round)) {
    const rows = registerRows(roster, v, u);
    const e = v.entries.get(u);
    const p = v.proposals.get(u);
    const cadre = roster.cadres.get(u);
    ws.addRow([
      cadre ? (roster.villages.get(cadre.village)?.name ?? '') : '',
      cadre?.name ?? u,
      cadre?.sendingUnit ?? '',
      ...LEVELS.map((l) => e?.ratings[l]?.grade ?? ''),
      rows.find((r) => r.label === X.labels.review)!.value,
      p && 'score' in p ? p.score : '',
      e?.final?.proposed ?? (p && 'grade' in p ? p.grade : ''),
      e?.final?.grade ?? '',
      e?.final?.reason ?? '',
      e?.appeals.length ? e.appeals.map(X.appeal).join('；') : '',
    ]);
  }
  ws.columns.forEach((c) => (c.width = 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
