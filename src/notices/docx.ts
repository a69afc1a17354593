/**
 * A notice as a printable Word document (`docx`): the title (驻村干部整改通知单), then one labelled paragraph per
 * field in the printed order: number, recipient with post and village, facts with the figures, requirement,
 * deadline, issuing unit and date, the cadre's answer and the review (templates/notices.ts, `documentFields`).
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { Roster } from '../roster/roster.js';
import { documentFields, issuerName } from '../../templates/notices.js';
import type { Notice } from './notice.js';

/** A person's name on the roster, or the id as given (a job, someone who left). */
function nameOf(roster: Roster, userid: string | undefined): string | undefined {
  if (!userid) return undefined;
  return (
    roster.cadres.get(userid)?.name ??
    roster.data.supervisors.find((s) => s.userid === userid)?.name ??
    (userid.startsWith('job:') ? undefined : userid)
  );
}

/** The notice's `.docx` bytes. */
export async function noticeDocx(n: Notice, roster: Roster): Promise<Buffer> {
  const { title, rows } = documentFields(n, {
    issuer: issuerName(n.issuedBy, nameOf(roster, n.issuedBy)),
    ...(n.decision ? { reviewer: nameOf(roster, n.decision.by) ?? n.decision.by } : {}),
  });
  const doc = new Document({
    creator: 'zhucun-bot',
    title: `${title} ${n.no}`,
    sections: [
      {
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [new TextRun(title)],
          }),
          ...rows.flatMap(([label, text]) =>
            text.split('\n').map(
              (line, i) =>
                new Paragraph({
                  spacing: { after: 120 },
                  children:
                    i === 0 ? [new TextRun({ text: label, bold: true }), new TextRun(line)] : [new TextRun(line)],
                }),
            ),
          ),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
