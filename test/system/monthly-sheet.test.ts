/**
 * The monthly-sheet job end to end: on 1 November it makes October's 考勤表 and 通报 draft, the outbox uploads
 * them to the fake WeCom when it sends, and each member of the organisation department receives both files as
 * file messages; the files are read back from what WeCom received and open.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlySheet } from '../../src/jobs/monthly-sheet.js';
import type { JobContext } from '../../src/schedule/job.js';
import * as S from '../../templates/sheet.js';
import { checkIn, days } from '../attendance/seed.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { paragraphs } from '../helpers/docx.js';
import { useTestRedis } from '../helpers/redis.js';
import { startRig } from './fixtures/outbox-rig.js';

const t = useTestRedis();
const ORG = ['WuJianZhong', 'ChangXiaoMin'];
const rig = await startRig({ redis: t.redis, url: t.url, keys: t.keys, fake: { knownUsers: ORG } });
afterAll(() => rig.close());
const ctx: JobContext = testDeps(t);
const NOW = new Date('2026-11-01T08:30:00+08:00');

beforeAll(async () => {
  await ctx.roster.replace(sampleRosterData());
  await checkIn(t, 'LiXiaoYan', days('2026-10-08', '2026-10-16'));
});

describe('monthly-sheet', () => {
  it('sends last month’s sheet and 通报 draft to each member of the organisation department, as files that open', async () => {
    const messages = monthlySheet.plan(NOW, await monthlySheet.load(ctx, NOW));
    expect(messages.map((m) => m.key)).toEqual([
      'monthly-sheet:2026-10:sheet:WuJianZhong',
      'monthly-sheet:2026-10:draft:WuJianZhong',
      'monthly-sheet:2026-10:sheet:ChangXiaoMin',
      'monthly-sheet:2026-10:draft:ChangXiaoMin',
    ]);
    await rig.outbox.enqueue(messages);
    for (const m of messages) expect(await rig.finish(m.key)).toMatchObject({ sent: true });

    const files = rig.fake.sent('app').filter((d) => d.msgtype === 'file');
    expect(files.map((d) => d.payload.touser)).toEqual(expect.arrayContaining(ORG));
    expect(files).toHaveLength(4);
    for (const userid of ORG) {
      const mine = files.filter((d) => d.payload.touser === userid);
      const bytes = mine.map((d) => rig.fake.mediaData((d.payload.file as { media_id: string }).media_id)!);
      expect(bytes.every((b) => b && b.length > 1000)).toBe(true);
      const names = rig.fake.requests
        .filter((r) => r.path === '/cgi-bin/media/upload' && r.query.type === 'file')
        .map((r) => (r.body as { files: { filename: string }[] }).files[0]!.filename);
      expect(names).toContain('侯马市（示例）驻村干部2026年10月考勤表.xlsx');
      expect(names).toContain('侯马市（示例）驻村干部2026年10月通报（草稿）.docx');

      // Delivered in either order: the workbook and the document by the parts their zip names.
      const xlsx = bytes.find((b) => b.includes('xl/workbook.xml'));
      const docx = bytes.find((b) => b.includes('word/document.xml'));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
      const ws = wb.getWorksheet(S.monthSheetName('2026-10'))!;
      expect(ws.getCell(1, 1).value).toBe('侯马市（示例） 驻村干部 2026年10月 考勤表');
      expect(wb.worksheets.at(-1)!.name).toBe(S.NOTES_SHEET);
      const text = await paragraphs(docx!);
      expect(text[0]).toBe('侯马市（示例）驻村干部2026年10月在岗履职情况通报');
      expect(text[3]).toContain('在村 9 人天');
    }
  });

  it('sends each file once however often it runs', async () => {
    const again = monthlySheet.plan(NOW, await monthlySheet.load(ctx, NOW));
    await rig.outbox.enqueue(again);
    expect(await rig.outbox.queue.getWaitingCount()).toBe(0);
  });
});
