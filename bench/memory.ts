/**
 * Memory per cadre-year: Redis `used_memory` taken by one year of a cadre's records, after the retention step.
 *
 * For N synthetic cadres (bench/roster-gen.ts) a fixed year 2026 is written through the product's own write paths,
 * each change committed with a `Tx` as a handler's would be:
 *   - 300 check-ins: 250 mornings on the check-in page (coordinates, the phone's accuracy) and 50 afternoon
 *     location messages (coordinates and WeCom's address label), judged by `recordCheckin`;
 *   - 3 leave requests read from a sentence by `checkLeave`, approved step by step (`decide`), and reported back
 *     from (`reportBack`), saved with `LeaveRepo.save`;
 *   - 52 weekly reports of 300 characters (`parseReport`, `ReportRepo.save`), their text drawn from varied work
 *     phrases (`reportText`);
 * then the retention job runs at 03:00 on 1 January 2027 (until it has nothing left, as the nightly runs would).
 *
 * The figure is (used_memory after − used_memory with the same roster and no records) ÷ N, so the roster and the
 * other county-wide documents do not count; what grows with the records (the owner indexes of report and leave
 * numbers) does. `detail` is `MEMORY USAGE` summed per key family, per cadre.
 */
import { Redis } from 'ioredis';
import { recordCheckin } from '../src/attendance/service.js';
import { HolidayCalendar } from '../src/calendar/calendar.js';
import { fixedClock } from '../src/core/clock.js';
import type { OutboxPort } from '../src/core/outbox-port.js';
import { retention } from '../src/jobs/retention.js';
import { addDays } from '../src/kit/dates.js';
import { checkLeave } from '../src/leave/check.js';
import { newRequest } from '../src/leave/service.js';
import { decide, reportBack, type LeaveRequest } from '../src/leave/workflow.js';
import { silentLogger } from '../src/log.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { Keys } from '../src/redis/keys.js';
import { Tx } from '../src/redis/tx.js';
import { wipeNamespace } from '../src/redis/wipe.js';
import { parseReport } from '../src/reports/report.js';
import { createRepos } from '../src/repos.js';
import type { Roster } from '../src/roster/roster.js';
import { RosterStore } from '../src/roster/store.js';
import type { Cadre } from '../src/roster/schema.js';
import type { JobContext } from '../src/schedule/job.js';
import { syntheticRoster } from './roster-gen.js';

export interface MemoryResult {
  bytesPerCadreYear: number;
  detail: Record<string, number>;
}

const YEAR = 2026;
const CHECKINS_PAGE = 250;
const CHECKINS_MESSAGE = 50;
const REPORTS = 52;
const REPORT_CHARS = 300;
const LEAVES: readonly { text: string; dates: string[] }[] = [
  { text: '事假 3月9日至10日 家中老人住院需要陪护', dates: ['2026-03-09', '2026-03-10'] },
  { text: '病假 6月17日 发烧到县医院看病', dates: ['2026-06-17'] },
  { text: '公差 9月21日至23日 到市里参加驻村干部培训', dates: ['2026-09-21', '2026-09-22', '2026-09-23'] },
];
const noOutbox: OutboxPort = { enqueue: async () => {} };

/** A small deterministic random source, so every run writes the same year. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾';
const GIVEN = ['秀英', '桂兰', '建国', '志强', '玉梅', '德胜', '春花', '文明', '海燕', '长林', '福贵', '淑珍'];
const CROPS = ['小麦', '玉米', '苹果', '花椒', '核桃', '辣椒', '土豆', '中药材'];
const PLACES = ['村委会', '党群服务中心', '村小学', '卫生室', '文化广场', '东头组', '西沟组', '南坡组'];

/**
 * Everyday work phrases of a report (visits, projects, meetings, paperwork), with their variable parts: names,
 * numbers, crops, places. Modelled on the sandbox's seeded reports (templates/sandbox.ts), longer and varied.
 */
const PHRASES: ((r: () => number) => string)[] = [
  (r) => `#走访 ${2 + Math.floor(r() * 6)}户，了解冬季取暖和用电情况`,
  (r) => `入户核对防返贫监测信息，${pick(r, SURNAMES)}${pick(r, GIVEN)}家收入有所下降，已登记跟踪`,
  (r) => `看望留守老人和儿童${1 + Math.floor(r() * 4)}户，登记他们的实际需求`,
  () => '宣传医保缴费政策，帮助群众在手机上办理参保缴费',
  () => '协调供电所修好村口路灯，群众晚上出行方便了',
  (r) => `联系县农业农村局技术员到村讲解${pick(r, CROPS)}管理技术，参加群众${10 + Math.floor(r() * 30)}人`,
  () => '召开村民说事会，商定村道硬化方案和投工投劳办法',
  (r) => `在${pick(r, PLACES)}组织村两委班子学习，研究近期重点工作`,
  () => '给村里党员讲了一次专题党课，大家讨论发言积极',
  (r) => `到${pick(r, PLACES)}检查安全隐患，发现问题${1 + Math.floor(r() * 3)}处，已督促整改`,
  () => '协助村委会整理集体经济合同台账，核对租金收缴情况',
  () => '参加村两委例会，研究防火防汛安排，明确责任到人',
  () => '和村会计核对村集体收支，准备下月村务公开',
  (r) => `检查村里${1 + Math.floor(r() * 3)}处危房改造进度，督促施工队保证质量`,
  (r) => `帮助${pick(r, SURNAMES)}${pick(r, GIVEN)}联系${pick(r, CROPS)}销路，初步谈好收购价格`,
  () => '排查矛盾纠纷，调解邻里宅基地边界争议一起',
  () => '走访脱贫户，落实产业奖补和小额信贷政策',
  (r) => `组织村里${5 + Math.floor(r() * 20)}名群众参加技能培训，讲解外出务工注意事项`,
  () => '督促村里完成环境卫生整治，清理垃圾和乱堆乱放',
  () => '整理驻村工作日志和民情台账，报乡党委备案',
  (r) => `陪同乡里干部到${pick(r, PLACES)}调研，听取群众对村级道路的意见`,
  () => '了解村里合作社经营情况，商量扩大种植规模的计划',
  () => '开展政策宣传，讲解养老保险和低保申请的办理流程',
  (r) => `收集群众反映的问题${2 + Math.floor(r() * 5)}条，能解决的当场解决，其余报乡里协调`,
];

function pick<T>(r: () => number, list: readonly T[] | string): T {
  return list[Math.floor(r() * list.length)] as T;
}

/** A report of exactly `chars` characters: phrases joined by `；` until long enough, ending with `。`. */
export function reportText(r: () => number, chars = REPORT_CHARS): string {
  let text = '';
  const left = [...PHRASES];
  while (text.length < chars) text += (text ? '；' : '') + left.splice(Math.floor(r() * left.length), 1)[0]!(r);
  return `${[...text].slice(0, chars - 1).join('')}。`;
}

/** The weekdays of the year, minus the leave days: the days a cadre is in the village. */
function villageDays(): string[] {
  const leave = new Set(LEAVES.flatMap((l) => l.dates));
  const out: string[] = [];
  for (let d = `${YEAR}-01-01`; d.startsWith(String(YEAR)); d = addDays(d, 1)) {
    const dow = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6 && !leave.has(d)) out.push(d);
  }
  return out;
}

const at = (date: string, hh: number, mm: number) =>
  new Date(`${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`);

/** Run `fn` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Commit a change, running it again on fresh data after a conflict (as the core does). */
async function commit(redis: Redis, build: (tx: Tx) => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const tx = new Tx();
    await build(tx);
    try {
      await tx.commit(redis);
      return;
    } catch (err) {
      if (attempt > 50 || (err as Error).name !== 'TxConflict') throw err;
    }
  }
}

interface County {
  redis: Redis;
  keys: Keys;
  roster: Roster;
  ctx: JobContext;
}

async function writeCheckins(c: County, cadre: Cadre, days: string[]): Promise<void> {
  const r = random(cadre.userid.length * 7919 + Number(cadre.userid.replace(/\D/g, '')));
  const village = c.roster.villageOf(cadre);
  const rules = c.ctx.policy.checkin;
  const near = () => ({
    lat: Number((village.lat + (r() - 0.5) * 0.006).toFixed(6)),
    lng: Number((village.lng + (r() - 0.5) * 0.006).toFixed(6)),
  });
  for (let i = 0; i < CHECKINS_PAGE; i++) {
    const date = days[i]!;
    const token = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
    await commit(c.redis, async (tx) => {
      await recordCheckin({ ledger: c.ctx.repos.checkins, tx, rules }, cadre, village, {
        id: `page:${token}`,
        at: at(date, 8, Math.floor(r() * 50)),
        source: 'page',
        direction: 'in',
        point: near(),
        accuracyM: 10 + Math.floor(r() * 50),
      });
    });
  }
  for (let i = 0; i < CHECKINS_MESSAGE; i++) {
    const date = days[i * 5 + 2]!;
    const msgId = String(7_400_000_000_000_000_000n + BigInt(Math.floor(r() * 1e15)));
    await commit(c.redis, async (tx) => {
      await recordCheckin({ ledger: c.ctx.repos.checkins, tx, rules }, cadre, village, {
        id: msgId,
        at: at(date, 15, Math.floor(r() * 60)),
        source: 'message',
        direction: 'in',
        point: near(),
        label: `山西省运城市示例县${c.roster.townshipOf(cadre).name}${village.name}${pick(r, PLACES)}附近`,
      });
    });
  }
}

async function writeLeaves(c: County, cadre: Cadre): Promise<void> {
  const { policy } = c.ctx;
  const repo = c.ctx.repos.leave;
  for (const leave of LEAVES) {
    const asked = at(addDays(leave.dates[0]!, -2), 19, 30);
    let request: LeaveRequest | undefined;
    await commit(c.redis, async (tx) => {
      const existing = await repo.ofUser(cadre.userid);
      const check = checkLeave(leave.text, {
        policy,
        now: asked,
        existing,
        roster: c.roster,
        cadre,
        calendar: c.ctx.calendar,
      });
      if (check.problem || !check.draft || !check.chain) throw new Error(`leave refused: ${check.problem?.code}`);
      request = newRequest(await repo.nextNo(tx), cadre, check.draft, check.chain, asked);
      repo.save(tx, request);
    });
    let when = asked;
    while (request!.status === 'pending') {
      when = new Date(when.getTime() + 3_600_000);
      const previous = request!;
      const step = previous.steps.find((s) => !s.decision)!;
      const decided = decide(previous, step.approvers[0]!, 'approved', when);
      if (!decided.ok) throw new Error(decided.refusal);
      request = decided.request;
      await commit(c.redis, async (tx) => repo.save(tx, decided.request, { previous }));
    }
    const back = addDays(leave.dates.at(-1)!, 1);
    const returned = reportBack(request!, back, at(back, 8, 30));
    if (!returned.ok) throw new Error(returned.refusal);
    const previous = request!;
    await commit(c.redis, async (tx) => repo.save(tx, returned.request, { previous }));
  }
}

async function writeReports(c: County, cadre: Cadre, fridays: string[]): Promise<void> {
  const r = random(Number(cadre.userid.replace(/\D/g, '')) * 104_729 + 17);
  const repo = c.ctx.repos.reports;
  for (let i = 0; i < REPORTS; i++) {
    const parsed = parseReport(reportText(r));
    const createdAt = at(fridays[i]!, 18, Math.floor(r() * 60)).toISOString();
    await commit(c.redis, async (tx) => {
      const no = await repo.nextNo(tx);
      repo.save(tx, { no, userId: cadre.userid, ...parsed, createdAt });
    });
  }
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** The family of a key: user ids, months, years and numbers replaced by `*`. */
function family(ns: string, key: string): string {
  return key
    .slice(ns.length + 1)
    .replace(/^\{u:[^}]+\}/, '{u:*}')
    .replace(/\d{4}-\d{2}(-\d{2})?/g, '<month>')
    .replace(/:\d{4}$/, ':<year>')
    .replace(/^\{owner\}:(\w+):\d+$/, '{owner}:$1:<bucket>');
}

async function breakdown(redis: Redis, ns: string): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for await (const batch of redis.scanStream({ match: `${ns}:*`, count: 1000 })) {
    const list = batch as string[];
    const usage = await Promise.all(list.map((k) => redis.memory('USAGE', k, 'SAMPLES', 0)));
    list.forEach((k, i) => {
      const f = family(ns, k);
      sizes[f] = (sizes[f] ?? 0) + Number(usage[i] ?? 0);
    });
  }
  return sizes;
}

async function county(redis: Redis, ns: string, cadres: number, now: Date): Promise<County> {
  const keys = new Keys(ns);
  const store = new RosterStore(redis, keys, fixedClock(now));
  await store.replace(
    syntheticRoster(cadres, `${YEAR}-01-01`, `${YEAR + 1}-12-31`),
    new Date(`${YEAR}-01-01T08:00:00+08:00`),
  );
  const ctx: JobContext = {
    redis,
    keys,
    repos: createRepos(redis, keys),
    clock: fixedClock(now),
    log: silentLogger,
    roster: store,
    outbox: noOutbox,
    policy: defaultPolicy(),
    calendar: new HolidayCalendar(),
  };
  return { redis, keys, roster: await store.get(), ctx };
}

/** Bytes of Redis memory per cadre-year, and where they go (per key family, per cadre). */
export async function memoryBench(redisUrl: string, cadres = 50): Promise<MemoryResult> {
  const redis = new Redis(redisUrl, { enableAutoPipelining: false });
  const tag = `${process.pid}${Date.now().toString(36)}`;
  const empty = `memempty${tag}`;
  const full = `memfull${tag}`;
  const end = new Date(`${YEAR + 1}-01-01T03:00:00+08:00`);
  try {
    await county(redis, empty, cadres, end);
    const c = await county(redis, full, cadres, end);
    const ids = [...c.roster.cadres.keys()];
    const days = villageDays();
    const fridays = days.filter((d) => new Date(`${d}T12:00:00Z`).getUTCDay() === 5);
    while (fridays.length < REPORTS) fridays.push(addDays(fridays.at(-1)!, 7).replace(/^\d{4}/, String(YEAR)));

    const before = await usedMemory(redis);
    const byId = c.roster.cadres;
    await pool(ids, 16, (id) => writeCheckins(c, byId.get(id)!, days));
    // Leave and report numbers come from one counter each: one cadre at a time, as a county's come in.
    for (const id of ids) await writeLeaves(c, byId.get(id)!);
    for (const id of ids) await writeReports(c, byId.get(id)!, fridays.slice(0, REPORTS));
    for (let run = 0; run < 100; run++) {
      const state = await retention.load(c.ctx, end);
      await retention.writes!.apply(c.ctx, end, state);
      if (!state.truncated) break;
    }
    const after = await usedMemory(redis);
    const withRoster = await breakdown(redis, full);
    const roster = await breakdown(redis, empty);
    const detail: Record<string, number> = {};
    for (const [f, bytes] of Object.entries(withRoster)) {
      const grown = bytes - (roster[f] ?? 0);
      if (grown !== 0) detail[f] = Math.round(grown / cadres);
    }
    return { bytesPerCadreYear: Math.round((after - before) / cadres), detail };
  } finally {
    await wipeNamespace(redis, empty);
    await wipeNamespace(redis, full);
    redis.disconnect();
  }
}
