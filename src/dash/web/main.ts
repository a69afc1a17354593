/**
 * The dashboard's pages in the browser. The server sends one shell per page (`data-page`, `data-id` on
 * `<body>`) with the navigation of the signed-in person's scope; this code reads the JSON API (which checks the
 * scope again on every call) and fills `<main>`. The calendar's chart module is loaded only on a cadre's page.
 */
import * as T from '../../../templates/dash-pages.js';
import { ITEM_NAMES as POINTS_NAMES } from '../../../templates/points.js';
import { SIX_ONES_NAMES } from '../../../templates/reports.js';
import { api, ApiError, cards, h, notice, sections, show, table } from './dom.js';

type Json = Record<string, unknown>;
type Rows = Json[];

const main = document.getElementById('app')!;
const { page = '', id = '' } = document.body.dataset;
const enc = encodeURIComponent;

function render(...nodes: (Node | null)[]): void {
  main.replaceChildren(...nodes.filter((n): n is Node => n !== null));
}

const rows = (v: unknown): Rows => (Array.isArray(v) ? (v as Rows) : []);

type Counts = Json & { id: string; name: string; status: Record<string, number> };

/** A roll-up's counts as one row: presence against the eligible days, at risk, below target. */
const countsRow = (c: Counts) => ({
  cadres: c.cadres,
  presentDays: c.presentDays,
  eligibleDays: c.eligibleDays,
  rate: c.rate,
  atRisk: c.status['at-risk'] ?? 0,
  cannotReach: c.status['cannot-reach'] ?? 0,
  onLeaveToday: c.onLeaveToday,
});

const asOf = (body: Json) =>
  body.month ? h('p', { class: 'muted' }, `${T.monthOf(String(body.month))}，${T.asOf(String(body.today))}`) : null;

/** County: per township this month's presence against target and what waits; no ranking. */
async function county(): Promise<void> {
  const body = await api<Json>('/api/county');
  const townships = rows(body.townships).map((t) => {
    const c = t.counts as Counts;
    return {
      township: { id: c.id, name: c.name },
      ...countsRow(c),
      pendingApprovals: t.pendingApprovals,
      openNotices: t.openNotices,
      openProblems: t.openProblems,
    };
  });
  const total = body.total as Counts | undefined;
  render(
    h('h1', {}, T.heading.county),
    asOf(body),
    total ? cards(Object.entries(countsRow(total)).map(([k, v]) => [T.column[k] ?? k, String(show(k, v))])) : null,
    h('h2', {}, T.section.townships),
    h('div', { id: 'townships' }, table(townships)),
    h('p', { class: 'muted' }, T.noRanking),
  );
}

/** A cadre's line of a roll-up: month and year, today's check-ins with sources and trust, leave, reports. */
function cadreRow(line: Json): Json {
  const c = line.cadre as Json;
  const today = rows(line.today)
    .map(
      (k) =>
        `${T.momentLabel(String(k.at)).slice(-5)} ${T.value[String(k.source)] ?? k.source}（${T.value[String(k.trust)] ?? k.trust}）`,
    )
    .join('；');
  const leave = line.leave as { current?: Json; pending: Rows } | undefined;
  const reports = line.reports as { month?: number } | undefined;
  return {
    userid: c.userid,
    name: c.name,
    village: c.village,
    unit: c.unit,
    month: line.month,
    year: line.year,
    today: today || '—',
    leave: leave?.current ? `${T.value.leave}` : leave?.pending.length ? T.value.pending : '—',
    reportsMonth: reports?.month,
  };
}

/** Township, work group or sending unit: its figures, its cadres, and the lists the API gives. */
async function rollup(kind: 'township' | 'group' | 'unit'): Promise<void> {
  const path = { township: 'townships', group: 'groups', unit: 'units' }[kind];
  const body = await api<Json>(`/api/${path}/${enc(id)}`);
  const head =
    kind === 'group' ? (body.group as Json) : kind === 'unit' ? ({ name: body.unit } as Json) : (body.township as Json);
  const counts = (kind === 'township' ? body.township : kind === 'unit' ? body.rollup : undefined) as
    Counts | undefined;
  render(
    h('h1', {}, T.heading[kind](String(head?.name ?? id))),
    asOf(body),
    counts ? cards(Object.entries(countsRow(counts)).map(([k, v]) => [T.column[k] ?? k, String(show(k, v))])) : null,
    h('h2', {}, T.section.cadres),
    h(
      'div',
      { id: 'cadres' },
      table(rows(body.cadres).map(cadreRow), {
        columns: ['name', 'village', 'unit', 'month', 'year', 'today', 'leave', 'reportsMonth'],
      }),
    ),
    ...sections(body, ['cadres']),
  );
}

async function village(): Promise<void> {
  const body = await api<Json>(`/api/villages/${enc(id)}`);
  const v = (body.village ?? {}) as Json;
  render(
    h('h1', {}, T.heading.village(String(v.name ?? id))),
    h('h2', {}, T.section.cadres),
    h('div', { id: 'cadres' }, table(rows(body.cadres), { columns: ['name', 'role', 'unit'] })),
    ...sections(body, ['cadres']),
  );
}

interface Month {
  month: string;
  today: string;
  present: number;
  target: number | null;
  needed: number | null;
  remaining: number;
}
interface Year {
  period: { start: string; end: string };
  present: number;
  target: number;
  needed: number;
  remaining: number;
}

interface SixOnes {
  start: string;
  end: string;
  doneCount: number;
  items: { item: keyof typeof SIX_ONES_NAMES; done: boolean; reports: string[] }[];
}
interface Points {
  period?: { start: string; end: string };
  asOf?: string;
  total?: number;
  items?: { item: keyof typeof POINTS_NAMES; events: number; counted: number; cap: number | null }[];
}

/** 六个一 of the term's first month: the span, how many are done, and each item with the reports behind it. */
function sixOnesSection(o: SixOnes | undefined): Node[] {
  if (!o?.items) return [];
  return [
    h('h2', {}, T.section.sixOnes),
    h('p', { id: 'six-ones' }, T.sixOnesLine(o.start, o.end, o.doneCount)),
    table(
      o.items.map((i) => ({
        item: SIX_ONES_NAMES[i.item] ?? i.item,
        done: i.done ? T.yes : T.no,
        reports: i.reports.join('、') || '—',
      })),
      { columns: ['item', 'done', 'reports'] },
    ),
  ];
}

/** 积分 of the half year: the total and each item as counted (the same figures as 我的积分). */
function pointsSection(o: Points | undefined): Node[] {
  if (!o?.period || !o.items) return [];
  return [
    h('h2', {}, T.section.points),
    h('p', { id: 'points' }, T.pointsLine(o.period.start, o.period.end, o.asOf ?? o.period.end, o.total ?? 0)),
    table(
      o.items.map((i) => ({
        item: POINTS_NAMES[i.item] ?? i.item,
        events: i.events,
        counted: i.counted,
        cap: i.cap ?? '—',
      })),
      { columns: ['item', 'events', 'counted', 'cap'] },
    ),
  ];
}

/** A cadre: the year's calendar heat-map, the month's forecast, leave, reports, 六个一, notices, points. */
async function cadre(): Promise<void> {
  const [monthly, year] = await Promise.all([
    api<{ cadre: Json; month: Month; year: Year }>(`/api/cadres/${enc(id)}/month`),
    api<Json>(`/api/cadres/${enc(id)}/year`),
  ]);
  const today = monthly.month.today;
  const days = rows(year.days)
    // The annual period of the term (its first day on), up to today: nothing is marked before the term or ahead.
    .filter((d) => String(d.date) >= monthly.year.period.start && String(d.date) <= today)
    .map((d) => ({
      date: String(d.date),
      mark: d.present ? (d.leave ? 'leave' : 'present') : d.off ? 'off' : 'absent',
      sources: (d.sources as string[] | undefined) ?? [],
    }));
  const chart = h('div', { id: 'calendar', role: 'img', 'aria-label': T.section.calendar });
  render(
    h('h1', {}, T.heading.cadre(String(monthly.cadre.name))),
    h('p', { class: 'muted' }, `${String((monthly.cadre.village as Json).name)} · ${String(monthly.cadre.unit)}`),
    h('h2', {}, T.section.forecast),
    h('p', { id: 'forecast' }, T.forecast(monthly.month)),
    h('p', { id: 'year' }, T.yearLine(monthly.year)),
    h('h2', {}, T.section.calendar),
    chart,
    ...sections(year, ['days']),
    ...sixOnesSection(year.sixOnes as SixOnes | undefined),
    ...pointsSection(year.points as Points | undefined),
  );
  const { drawCalendar } = await import('./calendar.js');
  drawCalendar(chart, days, [monthly.year.period.start, monthly.year.period.end]);
  chart.dataset.drawn = '1';
}

async function list(path: string, title: string): Promise<void> {
  const body = await api<Json>(path);
  render(h('h1', {}, title), ...sections(body));
}

/** The audit trail, newest first, a page at a time: 更早的记录 follows the API's cursor. */
async function audit(): Promise<void> {
  const before = new URLSearchParams(location.search).get('before');
  const body = await api<Json>(`/api/audit${before ? `?before=${enc(before)}` : ''}`);
  const next = typeof body.next === 'string' ? body.next : null;
  render(
    h('h1', {}, T.heading.audit),
    ...sections(body, ['next']),
    next ? h('p', {}, h('a', { id: 'older', href: `/dash/audit?before=${enc(next)}` }, T.older)) : null,
  );
}

/** Approvals waiting on me, each with 同意 and 驳回 working in the page. */
async function approvals(): Promise<void> {
  const body = await api<Json>('/api/approvals');
  const items = rows(body.approvals).map((a) => ({ ...a, no: a.no, name: (a.cadre as Json).name, leave: a.leave }));
  const status = h('div', { id: 'result' });
  const act = (row: Json, verdict: 'approve' | 'reject') => async (e: Event) => {
    const cell = (e.target as HTMLElement).closest('td')!;
    cell.querySelectorAll('button').forEach((b) => (b.disabled = true));
    try {
      // A rejection needs its reason; an approval takes none here.
      const reason = verdict === 'reject' ? (prompt(T.rejectReason) ?? '').trim() : '';
      if (verdict === 'reject' && !reason) {
        cell.querySelectorAll('button').forEach((b) => (b.disabled = false));
        return;
      }
      await api(`/api/approvals/${enc(String(row.no))}/${verdict}`, {
        method: 'POST',
        body: JSON.stringify(verdict === 'reject' ? { reason } : {}),
      });
      cell.replaceChildren(verdict === 'approve' ? T.approved : T.rejected);
    } catch (err) {
      status.replaceChildren(notice(err instanceof ApiError ? err.message : T.actionFailed, 'error'));
      cell.querySelectorAll('button').forEach((b) => (b.disabled = false));
    }
  };
  render(
    h('h1', {}, T.heading.approvals),
    status,
    items.length
      ? table(items, {
          columns: ['no', 'name', 'leave', 'reason', 'step', 'createdAt'],
          extra: (row) => {
            const yes = h('button', { class: 'primary', 'data-approve': String(row.no) }, T.approve);
            const no = h('button', { class: 'danger', 'data-reject': String(row.no) }, T.reject);
            yes.addEventListener('click', (e) => void act(row, 'approve')(e));
            no.addEventListener('click', (e) => void act(row, 'reject')(e));
            return h('span', { class: 'actions' }, yes, no);
          },
        })
      : notice(T.noApprovals),
  );
}

/** Downloads within my scope, each with 发到我的企业微信 beside it. */
async function downloads(): Promise<void> {
  const body = await api<Json>('/api/downloads');
  const items = rows(body.downloads);
  const status = h('div', { id: 'result' });
  const send = async (row: Json, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      await api(String(row.send), { method: 'POST', body: '{}' });
      status.replaceChildren(notice(T.sent, 'ok'));
    } catch {
      status.replaceChildren(notice(T.sendFailed, 'error'));
    } finally {
      button.disabled = false;
    }
  };
  render(
    h('h1', {}, T.heading.downloads),
    h('p', { class: 'muted' }, T.downloadHint),
    status,
    table(
      items.map((r) => ({ title: r.title ?? T.downloadNames[String(r.kind)], _: r })),
      {
        columns: ['title'],
        extra: (row) => {
          const r = row._ as Json;
          const href = String(r.url);
          const link = h('a', { href, download: '', 'data-download': String(r.kind) }, T.download);
          const button = h('button', { 'data-send': String(r.kind) }, T.sendToMe) as HTMLButtonElement;
          button.addEventListener('click', () => void send(r, button));
          return h('span', { class: 'actions' }, link, button);
        },
      },
    ),
  );
}

/** One announcement: its text, and who within the scope read it and who not. */
async function announcement(): Promise<void> {
  const a = await api<Json>(`/api/announcements/${enc(id)}`);
  render(
    h('h1', {}, T.heading.announcement(String(a.no))),
    h('p', { id: 'text' }, String(a.text)),
    h('p', { id: 'read-line', class: 'muted' }, T.readLine(Number(a.read), Number(a.recipients))),
    h('h2', {}, T.unread),
    h('div', { id: 'unread' }, table(rows(a.unread), { columns: ['name'] })),
    h('h2', {}, T.readBy),
    h('div', { id: 'read-by' }, table(rows(a.readBy), { columns: ['name', 'at'] })),
  );
}

const PAGES: Record<string, () => Promise<void>> = {
  county,
  township: () => rollup('township'),
  group: () => rollup('group'),
  unit: () => rollup('unit'),
  village,
  cadre,
  announcements: () => list('/api/announcements', T.heading.announcements),
  announcement,
  approvals,
  outbox: () => list('/api/outbox/failed', T.heading.outbox),
  audit,
  downloads,
};

const run = PAGES[page];
if (run)
  run()
    .then(() => (main.dataset.ready = '1'))
    .catch((err: unknown) => {
      render(notice(err instanceof ApiError ? err.message : T.failed, 'error'));
      main.dataset.ready = err instanceof ApiError ? String(err.status) : 'error';
      if (err instanceof ApiError && err.status === 401) location.assign('/dash');
    });
