/**
 * The audit record of exports: the attendance sheet downloaded over the admin API (with the client's address),
 * and `zhucun sheet` and `zhucun person export` on the command line (as `cli:<os user>@<host>`). A refused
 * download or export records nothing.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run as person } from '../../src/cli/person.js';
import { run as sheet } from '../../src/cli/sheet.js';
import { run as reportDraft } from '../../src/cli/report-draft.js';
import { fixedClock } from '../../src/core/clock.js';
import { createAdminRouter } from '../../src/http/admin-routes.js';
import { createHttpApp } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { RosterStore } from '../../src/roster/store.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { trail } from './helpers.js';

const t = useTestRedis();
const deps = testDeps(t, { clock: fixedClock('2026-11-18T09:00:00+08:00') });
const TOKEN = 'k3y-for-the-audit-test';
const POLICY = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));
const CLI = `cli:${userInfo().username}@${hostname()}`;
const dir = await mkdtemp(join(tmpdir(), 'zhucun-audit-'));
const servers: Server[] = [];

beforeAll(() => deps.roster.replace(sampleRosterData()));
afterAll(async () => {
  for (const s of servers) {
    const closed = once(s, 'close');
    s.close();
    s.closeAllConnections();
    await closed;
  }
  await rm(dir, { recursive: true, force: true });
});

async function start(trustProxy: boolean): Promise<string> {
  const app = createHttpApp({
    log: silentLogger,
    readiness: { ping: async () => undefined, warnings: () => [] },
    routers: [createAdminRouter({ adminToken: TOKEN, deps, log: silentLogger })],
    trustProxy,
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function recordedBy(act: () => Promise<unknown>) {
  const before = (await trail(t)).length;
  await act();
  return (await trail(t)).slice(before);
}

const io: CliIO = { out: () => undefined, err: () => undefined, log: silentLogger, env: { ZHUCUN_POLICY: POLICY } };
const open = async () => ({
  redis: t.redis,
  keys: t.keys,
  roster: new RosterStore(t.redis, t.keys),
  close: async () => {},
});

describe('the sheet over the admin API', () => {
  it('records each download with the client address (the proxy’s, behind TRUST_PROXY)', async () => {
    const proxied = await start(true);
    const headers = { Authorization: `Bearer ${TOKEN}`, 'X-Forwarded-For': '203.0.113.7' };
    const got = await recordedBy(async () => {
      expect((await fetch(`${proxied}/admin/sheet?month=2026-10`, { headers })).status).toBe(200);
    });
    expect(got).toEqual([
      {
        kind: 'export.sheet',
        actor: 'admin',
        channel: 'admin',
        at: new Date('2026-11-18T09:00:00+08:00').getTime(),
        id: expect.stringMatching(/^export\.sheet:2026-10:/),
        ref: '2026-10',
        summary: '考勤表 2026年10月，31 名干部',
        ip: '203.0.113.7',
      },
    ]);
    const direct = await start(false);
    const again = await recordedBy(() =>
      fetch(`${direct}/admin/sheet?month=2026-10`, { headers: { Authorization: `Bearer ${TOKEN}` } }),
    );
    expect(again).toMatchObject([{ kind: 'export.sheet', ip: expect.stringMatching(/127\.0\.0\.1$/) }]);
    expect(again[0]!.id).not.toBe(got[0]!.id);
  });

  it('records nothing for a refused request', async () => {
    const base = await start(false);
    const none = await recordedBy(async () => {
      expect((await fetch(`${base}/admin/sheet?month=2026-10`)).status).toBe(401);
      const bad = await fetch(`${base}/admin/sheet?month=2026-13`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(bad.status).toBe(400);
    });
    expect(none).toEqual([]);
  });
});

describe('exports on the command line', () => {
  it('zhucun sheet records the operator, the month and the file, at the time it is made', async () => {
    const file = join(dir, 'kaoqin.xlsx');
    const made = new Date('2026-12-06T20:00:00+08:00');
    const got = await recordedBy(async () => {
      expect(
        await sheet(['--month', '2026-11', '--now', '2026-11-18T09:00', '--out', file], io, open, () => made),
      ).toBe(0);
    });
    expect(got).toEqual([
      {
        kind: 'export.sheet',
        actor: CLI,
        channel: 'cli',
        at: made.getTime(),
        id: expect.stringMatching(/^export\.sheet:2026-11:/),
        ref: '2026-11',
        summary: `考勤表 2026年11月，31 名干部，写入 ${file}`,
      },
    ]);
    expect(
      await recordedBy(() =>
        expect(sheet(['--month', '2026-13', '--out', file], io, open)).rejects.toThrow(UsageError),
      ),
    ).toEqual([]);
  });

  it('zhucun report-draft records the operator, the month and the file, as zhucun sheet does', async () => {
    const file = join(dir, 'tongbao.docx');
    const made = new Date('2026-12-06T20:01:00+08:00');
    const got = await recordedBy(async () => {
      expect(
        await reportDraft(['--month', '2026-11', '--now', '2026-11-18T09:00', '--out', file], io, open, () => made),
      ).toBe(0);
    });
    expect(got).toEqual([
      {
        kind: 'export.report-draft',
        actor: CLI,
        channel: 'cli',
        at: made.getTime(),
        id: expect.stringMatching(/^export\.report-draft:2026-11:/),
        ref: '2026-11',
        summary: `通报草稿 2026年11月，31 名干部，写入 ${file}`,
      },
    ]);
    expect(
      await recordedBy(() =>
        expect(reportDraft(['--month', '2026-13', '--out', file], io, open)).rejects.toThrow(UsageError),
      ),
    ).toEqual([]);
  });

  it('zhucun person export records whose data was exported, by whom and where to', async () => {
    const made = new Date('2026-12-06T20:05:00+08:00');
    const file = join(dir, 'li.json');
    const got = await recordedBy(() => person(['export', 'LiXiaoYan', '--out', file], io, open, () => made));
    expect(got).toEqual([
      {
        kind: 'export.person',
        actor: CLI,
        channel: 'cli',
        at: made.getTime(),
        id: expect.stringMatching(/^export\.person:LiXiaoYan:/),
        subject: 'LiXiaoYan',
        summary: `个人数据，写入 ${file}`,
      },
    ]);
    const toScreen = await recordedBy(() => person(['export', 'WangJianGuo'], io, open, () => made));
    expect(toScreen).toMatchObject([{ subject: 'WangJianGuo', summary: '个人数据，输出到屏幕' }]);
    // Nothing kept about the userid: nothing exported, nothing recorded.
    expect(await recordedBy(() => person(['export', 'NoSuchPerson'], io, open, () => made))).toEqual([]);
  });
});
