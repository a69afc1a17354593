/**
 * The dashboard's pages in the browser. The server sends one shell per page (`data-page`, `data-id` on
 * `<body>`) with the navigation of the signed-in person's scope; this code reads the JSON API (which checks the
 * scope again on every call) and fills `<main>`. The calendar's chart module is loaded only on a cadre's page.
 */
import * as T from '../../../templates/dash-pages.js';
import { api, ApiError, cards, h, notice, sections, table } from './dom.js';

type Json = Record<string, unknown>;
type Rows = Json[];

const main = document.getElementById('app')!;
const { page = '', id = '' } = document.body.dataset;
const enc = encodeURIComponent;

function render(...nodes: (Node | null)[]): void {
  main.replaceChildren(...nodes.filter((n): n is Node => n !== null));
}

const rows = (v: unknown): Rows => (Array.isArray(v) ? (v as Rows) : []);

/** County: per township this month's presence against target and what waits; no ranking. */
async function county(): Promise<void> {
  const body = await api<Json>('/api/county');
  const townships = rows(body.townships).map((t) => ({
    township: { id: t.id, name: t.name },
    ...Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'id' && k !== 'name')),
  }));
  render(
    h('h1', {}, T.heading.county),
    h('p', { class: 'muted' }, `${T.monthOf(String(body.month))}，${T.asOf(String(body.today))}。${T.noRanking}`),
    h('h2', {}, T.section.townships),
    table(townships),
    ...sections(body, ['townships']),
  );
}

/** Township, work group or sending unit: its figures, then each list the API gives. */
async function rollup(kind: 'township' | 'group' | 'unit'): Promise<void> {
  const path = { township: 'townships', group: 'groups', unit: 'units' }[kind];
  const body = await api<Json>(`/api/${path}/${enc(id)}`);
  const head = (body.township ?? body.group ?? body.unit ?? {}) as Json;
  const name = String(head.name ?? id);
  const summary: [string, string | number][] = [];
  if (typeof head.cadres === 'number') summary.push([T.column.cadres!, head.cadres]);
  if (typeof head.presentDays === 'number') summary.push([T.column.presentDays!, head.presentDays]);
  if (head.rate !== undefined) summary.push([T.column.rate!, T.percent(head.rate as number | null)]);
  if (typeof head.onLeaveToday === 'number') summary.push([T.column.onLeaveToday!, head.onLeaveToday]);
  const status = head.status as Json | undefined;
  if (status && typeof status['at-risk'] === 'number')
    summary.push([T.value['at-risk']!, Number(status['at-risk']) + Number(status['cannot-reach'] ?? 0)]);
  render(
    h('h1', {}, T.heading[kind](name)),
    body.month ? h('p', { class: 'muted' }, `${T.monthOf(String(body.month))}，${T.asOf(String(body.today))}`) : null,
    summary.length ? cards(summary) : null,
    ...sections(body),
  );
}

async function village(): Promise<void> {
  const body = await api<Json>(`/api/villages/${enc(id)}`);
  const v = (body.village ?? {}) as Json;
  render(h('h1', {}, T.heading.village(String(v.name ?? id))), ...sections(body));
}

interface Month {
  month: string;
  present: number;
  target: number | null;
  needed: number | null;
  remaining: number;
  days: { date: string; mark: string }[];
}
interface Year {
  period: { start: string; end: string };
  present: number;
  target: number;
  needed: number;
  remaining: number;
}

/** A cadre: the year's calendar heat-map, the month's forecast, and every list the API gives. */
async function cadre(): Promise<void> {
  const monthly = await api<{ cadre: Json; month: Month; year: Year }>(`/api/cadres/${enc(id)}/month`);
  const year = await api<Json>(`/api/cadres/${enc(id)}/year`);
  const period = (year.period as Year['period'] | undefined) ?? monthly.year.period;
  const days = rows(year.days) as unknown as { date: string; mark: string; sources?: string[] }[];
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
  );
  const { drawCalendar } = await import('./calendar.js');
  drawCalendar(chart, days, [period.start, period.end]);
  chart.dataset.drawn = '1';
}

async function list(path: string, title: string): Promise<void> {
  const body = await api<Json>(path);
  render(h('h1', {}, title), ...sections(body));
}

/** Approvals waiting on me, each with 同意 and 驳回 working in the page. */
async function approvals(): Promise<void> {
  const body = await api<Json>('/api/approvals');
  const items = rows(body.approvals);
  const status = h('div', { id: 'result' });
  const act = (row: Json, verdict: 'approve' | 'reject') => async (e: Event) => {
    const cell = (e.target as HTMLElement).closest('td')!;
    cell.querySelectorAll('button').forEach((b) => (b.disabled = true));
    try {
      const reason = verdict === 'reject' ? (prompt(T.rejectReason) ?? '') : '';
      await api(`/api/approvals/${enc(String(row.id))}/${verdict}`, {
        method: 'POST',
        body: JSON.stringify(reason ? { reason } : {}),
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
          extra: (row) => {
            const yes = h('button', { class: 'primary', 'data-approve': String(row.id) }, T.approve);
            const no = h('button', { class: 'danger', 'data-reject': String(row.id) }, T.reject);
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
      await api(`/api/downloads/${enc(String(row.kind))}/send?month=${enc(String(row.month))}`, {
        method: 'POST',
        body: '{}',
      });
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
      items.map((r) => ({ ...r, kind: T.downloadNames[String(r.kind)] ?? r.kind, _: r })),
      {
        columns: ['kind', 'month'],
        extra: (row) => {
          const r = row._ as Json;
          const href =
            typeof r.href === 'string' ? r.href : `/api/downloads/${enc(String(r.kind))}?month=${enc(String(r.month))}`;
          const link = h('a', { href, download: '', 'data-download': String(r.kind) }, T.download);
          const button = h('button', { 'data-send': String(r.kind) }, T.sendToMe) as HTMLButtonElement;
          button.addEventListener('click', () => void send(r, button));
          return h('span', { class: 'actions' }, link, button);
        },
      },
    ),
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
  approvals,
  outbox: () => list('/api/outbox/failed', T.heading.outbox),
  audit: () => list('/api/audit', T.heading.audit),
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
