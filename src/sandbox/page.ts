/**
 * The sandbox page at `/sandbox`: a simple WeCom-like client. The HTML shell is built here from the labels in
 * templates/sandbox.ts; the script and style are plain files in `page/` (ES2017, no build step), read once.
 */
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { createRouter } from '../http/router.js';
import * as T from '../../templates/sandbox.js';
import { escapeHtml as esc } from './markdown.js';

const asset = (name: string) => readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');

/** The page's scripts in load order: the drawing helpers first, the page's behaviour last. */
const SCRIPTS = ['render.js', 'map.js', 'sandbox.js'];

/** The page's HTML; the script finds its labels in the JSON block. */
export function sandboxHtml(): string {
  const p = T.page;
  const data = JSON.stringify({ text: p, botName: T.BOT_NAME }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(p.title)}</title>
<link rel="stylesheet" href="/sandbox/sandbox.css">
</head>
<body>
<div class="layout">
<aside class="side">
  <header class="brand"><h1>${esc(p.title)}</h1><p>${esc(p.subtitle)}</p><p class="sample">${esc(p.sampleNotice)}</p></header>
  <section class="panel">
    <h2>${esc(p.who)}</h2>
    <select id="person"><option value="">${esc(p.choose)}</option></select>
    <div id="me-line" class="hint"></div>
  </section>
  <section class="panel">
    <h2>${esc(p.clock)}</h2>
    <div id="sim-now" class="sim-now">—</div>
    <div class="row"><input id="clock-input" type="datetime-local" step="60"><button id="clock-set">${esc(p.clockSet)}</button></div>
    <div class="row"><button data-shift="3600000">${esc(p.clockHour)}</button><button data-shift="86400000">${esc(p.clockDay)}</button><button id="clock-real">${esc(p.clockNow)}</button></div>
    <p class="hint">${esc(p.clockHint)}</p>
    <h3>${esc(p.jobs)}</h3>
    <div id="jobs" class="jobs"></div>
    <div id="job-result" class="hint" role="status"></div>
  </section>
  <section class="panel">
    <h2>${esc(p.location)}</h2>
    <div id="places" class="row wrap"></div>
    <svg id="map" class="map" viewBox="0 0 300 230" role="img"></svg>
    <div class="row"><input id="lat" type="number" step="0.00001" placeholder="${esc(p.lat)}"><input id="lng" type="number" step="0.00001" placeholder="${esc(p.lng)}"><button id="loc-apply">${esc(p.locationApply)}</button></div>
    <div id="loc-now" class="hint">${esc(p.locationNone)}</div>
    <div class="row"><button id="loc-send">${esc(p.locationSend)}</button><button id="loc-auto">${esc(p.locationAuto)}</button></div>
    <p class="hint">${esc(p.locationHint)}</p>
  </section>
  <section class="panel">
    <h2>${esc(p.dashboard)}</h2>
    <div class="row"><a id="dash-oauth" href="/dash/login" target="_blank" rel="noopener">${esc(p.dashboardOAuth)}</a> <a id="dash-web" href="/dash/login/web" target="_blank" rel="noopener">${esc(p.dashboardWeb)}</a></div>
    <p class="hint">${esc(p.dashboardHint)}</p>
  </section>
  <section class="panel"><button id="reset" class="danger">${esc(p.reset)}</button><div id="reset-result" class="hint" role="status"></div></section>
</aside>
<main class="chat">
  <nav id="tabs" class="tabs"></nav>
  <div id="messages" class="messages"><p class="empty">${esc(p.pickFirst)}</p></div>
  <div id="chips" class="chips"></div>
  <form id="composer" class="composer"><input id="text" autocomplete="off" placeholder="${esc(p.placeholder)}"><button id="send" type="submit">${esc(p.send)}</button></form>
  <div id="error" class="error" role="alert" hidden></div>
</main>
<section id="browser" class="browser" hidden>
  <header><span>${esc(p.browser)}</span><a id="browser-open" target="_blank" rel="noopener">${esc(p.browserOpen)}</a><button id="browser-close">${esc(p.browserClose)}</button></header>
  <iframe id="browser-frame" title="${esc(p.browser)}"></iframe>
</section>
</div>
<script id="sandbox-data" type="application/json">${data}</script>
${SCRIPTS.map((n) => `<script src="/sandbox/${n}"></script>`).join('\n')}
</body></html>`;
}

/** `/sandbox`, its scripts and its style, behind `guards` (callers on this machine only, unless opened). */
export function createPageRouter(guards: Middleware[] = []): Router {
  const files = new Map<string, { type: string; body: string }>([
    ...SCRIPTS.map((n): [string, { type: string; body: string }] => [
      n,
      { type: 'application/javascript; charset=utf-8', body: asset(n) },
    ]),
    ['sandbox.css', { type: 'text/css; charset=utf-8', body: asset('sandbox.css') }],
  ]);
  const html = sandboxHtml();
  const router = createRouter();
  for (const g of guards) router.use(g);
  router.get('/sandbox', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });
  router.get('/sandbox/:file', (ctx, next) => {
    const file = files.get(ctx.params.file ?? '');
    if (!file) return next();
    ctx.type = file.type;
    ctx.body = file.body;
  });
  return router;
}
