/**
 * Small DOM helpers for the dashboard's pages: elements, tables, and the JSON API with its refusals.
 */
import * as T from '../../../templates/dash-pages.js';

type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`class`, `href`, `data-*`, …) and children; text is never parsed as HTML. */
export function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/** The API's answer that is no page: signed out, outside the scope, not found, or failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<R>(path: string, init?: RequestInit): Promise<R> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // The API refuses a POST without this header (CSRF protection beside the SameSite cookie).
  if (init?.method === 'POST') headers['x-requested-with'] = 'zhucun-dash';
  if (init?.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { credentials: 'same-origin', ...init, headers });
  if (res.ok) return (await res.json()) as R;
  const message =
    res.status === 401 ? T.signInAgain : res.status === 403 ? T.refused : res.status === 404 ? T.notFound : T.failed;
  throw new ApiError(res.status, message);
}

/** A value of the API as a person reads it: codes in words, dates in the one style, names of named things. */
export function show(key: string, v: unknown): Node | string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? T.yes : T.no;
  if (typeof v === 'number') {
    if (key === 'rate') return T.percent(v);
    // Instants the API gives in milliseconds (the audit trail, the outbox).
    if (/At$|^at$/.test(key) && v > 1e12) return T.momentLabel(new Date(v));
    return String(v);
  }
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return T.dayLabel(v);
    if (/^\d{4}-\d{2}-\d{2}T/.test(v)) return T.momentLabel(v);
    if (/^\d{4}-\d{2}$/.test(v)) return T.monthLabel(v);
    if ((key === 'status' || key === 'state') && v === 'open') return T.openCase;
    return T.value[v] ?? v;
  }
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? nameOf(x) : String(show(key, x)))).join('、');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (key === 'status' && typeof o['on-track'] === 'number')
      return ['on-track', 'at-risk', 'cannot-reach', 'pending']
        .filter((s) => Number(o[s]) > 0)
        .map((s) => `${T.value[s]}${o[s]}`)
        .join('，');
    if (typeof o.start === 'string' && typeof o.end === 'string')
      return `${typeof o.type === 'string' ? o.type : ''}${T.spanLabel(o.start, o.end)}`;
    if (typeof o.present === 'number' && typeof o.target === 'number') return `${o.present}/${o.target}`;
    if (typeof o.present === 'number') return String(o.present);
    return nameOf(o);
  }
  return String(v);
}

function nameOf(o: unknown): string {
  if (o && typeof o === 'object') {
    const r = o as Record<string, unknown>;
    for (const k of ['name', 'title', 'label', 'id', 'userid']) if (typeof r[k] === 'string') return r[k] as string;
  }
  return String(o);
}

/** Where a row's cell links to: a cadre's, village's or township's page. */
function linkOf(key: string, row: Record<string, unknown>): string | undefined {
  const v = row[key];
  if (key === 'name' && typeof row.userid === 'string' && !('units' in row))
    return `/dash/cadres/${encodeURIComponent(row.userid)}`;
  if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') {
    const id = encodeURIComponent((v as { id: string }).id);
    if (key === 'village') return `/dash/villages/${id}`;
    if (key === 'township') return `/dash/townships/${id}`;
    if (key === 'workGroup') return `/dash/groups/${id}`;
  }
  if (key === 'unit' && typeof v === 'string') return `/dash/units/${encodeURIComponent(v)}`;
  // An announcement's number opens its read status (who read it, who not).
  if (key === 'no' && typeof v === 'string' && 'recipients' in row)
    return `/dash/announcements/${encodeURIComponent(v)}`;
  return undefined;
}

const HIDDEN = new Set(['id', 'userid', 'days', 'teamLeader', 'href', 'chatid']);

/** A table of rows, its columns the keys the rows carry (named in Chinese), first seen first. */
export function table(
  rows: readonly Record<string, unknown>[],
  opts: { columns?: string[]; extra?: (row: Record<string, unknown>) => Node } = {},
): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, T.none);
  const columns =
    opts.columns ??
    [...new Set(rows.flatMap((r) => Object.keys(r)))].filter(
      (k) => (!HIDDEN.has(k) && !Array.isArray(rows[0]![k])) || k === 'sources',
    );
  const head = h('tr', {}, ...columns.map((c) => h('th', {}, T.column[c] ?? c)), opts.extra ? h('th', {}) : null);
  const body = rows.map((r) =>
    h(
      'tr',
      {},
      ...columns.map((c) => {
        const link = linkOf(c, r);
        const text = show(c, r[c]);
        const cls = c === 'status' && typeof r[c] === 'string' ? `s-${r[c] as string}` : undefined;
        return h('td', { class: cls }, link ? h('a', { href: link }, text) : text);
      }),
      opts.extra ? h('td', {}, opts.extra(r)) : null,
    ),
  );
  return h('div', { class: 'table' }, h('table', {}, h('thead', {}, head), h('tbody', {}, ...body)));
}

/** Figures as cards: a label and a number each. */
export function cards(items: readonly [string, string | number][]): HTMLElement {
  return h(
    'div',
    { class: 'cards' },
    ...items.map(([label, v]) => h('div', { class: 'card' }, h('b', {}, String(v)), label)),
  );
}

/** Every list of an answer as a section of its own (the lists named in `skip` are drawn by the page itself). */
export function sections(body: Record<string, unknown>, skip: readonly string[] = []): Node[] {
  const out: Node[] = [];
  for (const [key, v] of Object.entries(body)) {
    if (skip.includes(key) || !Array.isArray(v)) continue;
    if (v.length && typeof v[0] !== 'object') continue;
    out.push(h('h2', { id: `s-${key}` }, T.section[key as keyof typeof T.section] ?? T.column[key] ?? key));
    out.push(table(v as Record<string, unknown>[]));
  }
  return out;
}

export function notice(text: string, kind: 'error' | 'ok' | '' = ''): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
