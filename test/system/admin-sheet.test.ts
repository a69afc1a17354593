import { once } from 'node:events';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { bearerToken, createAdminRouter, tokenMatches, XLSX_TYPE } from '../../src/http/admin-routes.js';
import { createHttpApp } from '../../src/http/server.js';
import { FIRST_ROW, totalsColumn } from '../../src/sheet/month-sheet.js';
import * as T from '../../templates/sheet.js';
import { checkIn, days } from '../attendance/seed.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const deps = testDeps(t, { clock: fixedClock('2026-11-18T09:00:00+08:00') });
const TOKEN = 'k3y-for-the-organisation-department';

/** Log lines as parsed JSON, to check what a refusal logs. */
const lines: Record<string, unknown>[] = [];
const log = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  }),
);

const servers: Server[] = [];

/** Start a Koa app with the admin router on a free port; its base URL. */
async function start(adminToken: string | undefined): Promise<string> {
  const app = createHttpApp({
    log,
    readiness: { ping: async () => undefined, warnings: () => [] },
    routers: [createAdminRouter({ adminToken, deps, log })],
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  await checkIn(t, 'WangJianGuo', days('2026-11-02', '2026-11-17'));
});

afterAll(async () => {
  for (const s of servers) {
    const closed = once(s, 'close');
    s.close();
    s.closeAllConnections();
    await closed;
  }
});

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('GET /admin/sheet', () => {
  it('does not exist without ADMIN_TOKEN', async () => {
    const base = await start(undefined);
    expect((await fetch(`${base}/admin/sheet?month=2026-11`, { headers: auth(TOKEN) })).status).toBe(404);
  });

  it('refuses a missing or wrong token with 401 and logs the refusal without the token', async () => {
    const base = await start(TOKEN);
    const missing = await fetch(`${base}/admin/sheet?month=2026-11`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(`${base}/admin/sheet?month=2026-13`, { headers: auth(`${TOKEN}x`) });
    // The month is not even looked at before the token is right.
    expect(wrong.status).toBe(401);
    expect((await fetch(`${base}/admin/sheet`, { headers: { Authorization: TOKEN } })).status).toBe(401);

    const refusals = lines.filter((l) => l.msg === 'admin request refused');
    expect(refusals.map((l) => l.reason)).toEqual(['no bearer token', 'wrong token', 'no bearer token']);
    expect(refusals[1]).toMatchObject({ path: '/admin/sheet', method: 'GET' });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('answers 400 for a malformed month', async () => {
    const base = await start(TOKEN);
    for (const month of ['2026-13', '2026-1', 'november']) {
      expect((await fetch(`${base}/admin/sheet?month=${month}`, { headers: auth(TOKEN) })).status).toBe(400);
    }
    expect((await fetch(`${base}/admin/sheet?month=2026-11&month=2026-10`, { headers: auth(TOKEN) })).status).toBe(400);
  });

  it('answers the month as an xlsx download that opens', async () => {
    const base = await start(TOKEN);
    const res = await fetch(`${base}/admin/sheet?month=2026-11`, { headers: auth(TOKEN) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kaoqin-2026-11.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet(T.monthSheetName('2026-11'))!;
    expect(ws.getCell(1, 1).value).toBe('侯马市（示例） 驻村干部 2026年11月 考勤表');
    expect(ws.getCell(FIRST_ROW, 3).value).toBe('王建国');
    expect(ws.getCell(FIRST_ROW, totalsColumn(30)).value).toBe(16);
    expect(lines.some((l) => l.msg === 'attendance sheet exported' && l.month === '2026-11' && l.cadres === 31)).toBe(
      true,
    );
  });

  it('takes the current month when none is given', async () => {
    const base = await start(TOKEN);
    const res = await fetch(`${base}/admin/sheet`, { headers: auth(TOKEN) });
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kaoqin-2026-11.xlsx"');
  });
});

describe('the token check', () => {
  it('reads a bearer header and compares whole tokens only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
  });
});
