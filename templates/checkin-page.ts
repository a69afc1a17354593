/**
 * The check-in page opened inside WeCom. It signs in with WeCom (the server already turned the OAuth `code`
 * into a user), asks the WeCom JS-SDK for the device location and posts it. All sentences come from
 * templates/checkin.ts; this file is the HTML around them.
 */
import * as T from './checkin.js';

export interface PageModel {
  name: string;
  villageName: string;
  /** The page's title (default 驻村签到; 到村调研 for a leader's visit). */
  title?: string;
  /** Where 重新定位 signs in afresh (default the check-in start). */
  retry?: string;
  token: string;
  /** `wx.config` (corp ticket) and `wx.agentConfig` (app ticket) signatures for this page's URL. */
  config: { corpId: string; agentId: string; timestamp: number; nonceStr: string; signature: string };
  agentConfig: { timestamp: number; nonceStr: string; signature: string };
  /** Script URLs of the WeCom JS-SDK (or the sandbox's stand-in). */
  scripts: string[];
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function checkinPage(m: PageModel): string {
  const data = JSON.stringify({
    token: m.token,
    retry: m.retry ?? 'checkin/start',
    config: m.config,
    agentConfig: m.agentConfig,
    text: {
      locating: T.pageLocating,
      failed: T.pageLocationFailed,
      submitFailed: T.pageSubmitFailed,
      notInWecom: T.pageNotInWecom,
    },
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(m.title ?? T.pageTitle)}</title>
<style>
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f3f5f7;color:#1f2329}
main{max-width:480px;margin:0 auto;padding:24px 18px}
h1{font-size:20px;margin:0 0 4px}.sub{color:#646a73;margin:0 0 20px}
.card{background:#fff;border-radius:10px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
#status{font-size:17px;line-height:1.6;white-space:pre-wrap}
#status.ok{color:#1a7f37}#status.warn{color:#b35900}
button{margin-top:16px;width:100%;padding:12px;border:0;border-radius:8px;background:#1677ff;color:#fff;font-size:16px}
button[hidden]{display:none}
</style></head>
<body><main>
<h1>${esc(m.title ?? T.pageTitle)}</h1>
<p class="sub">${esc(m.name)} · ${esc(m.villageName)}</p>
<div class="card"><div id="status">${esc(T.pageLocating)}</div>
<button id="retry" hidden>${esc(T.pageRetry)}</button></div>
</main>
<script id="checkin-data" type="application/json">${data}</script>
${m.scripts.map((s) => `<script src="${esc(s)}"></script>`).join('\n')}
<script src="checkin/page.js"></script>
</body></html>`;
}

/** Client script of the page (served as /checkin/page.js). Plain ES2017 for old in-app browsers. */
export const pageScript = `(function () {
  var data = JSON.parse(document.getElementById('checkin-data').textContent);
  var status = document.getElementById('status');
  var retry = document.getElementById('retry');
  function show(text, cls) { status.textContent = text; status.className = cls || ''; }
  // The session token is good for one submission: after it, a retry opens the page afresh (new sign-in).
  var submitted = false;
  function submit(res) {
    submitted = true;
    fetch('checkin/submit', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: data.token, lat: res.latitude, lng: res.longitude, accuracy: res.accuracy }) })
      .then(function (r) { return r.json(); })
      .then(function (out) { show(out.text, out.counts ? 'ok' : 'warn'); retry.hidden = !!out.counts; })
      .catch(function () { show(data.text.submitFailed, 'warn'); retry.hidden = false; });
  }
  function locate() {
    show(data.text.locating); retry.hidden = true;
    wx.getLocation({ type: 'gcj02', success: submit,
      fail: function () { show(data.text.failed, 'warn'); retry.hidden = false; } });
  }
  retry.onclick = function () { if (submitted) { location.href = data.retry; } else { locate(); } };
  if (typeof wx === 'undefined') { show(data.text.notInWecom, 'warn'); return; }
  var c = data.config, a = data.agentConfig;
  wx.config({ beta: true, debug: false, appId: c.corpId, timestamp: c.timestamp, nonceStr: c.nonceStr,
    signature: c.signature, jsApiList: ['getLocation'] });
  wx.ready(function () {
    wx.agentConfig({ corpid: c.corpId, agentid: c.agentId, timestamp: a.timestamp, nonceStr: a.nonceStr,
      signature: a.signature, jsApiList: ['getLocation'], success: locate,
      fail: function () { show(data.text.failed, 'warn'); retry.hidden = false; } });
  });
  wx.error(function () { show(data.text.failed, 'warn'); retry.hidden = false; });
})();`;
