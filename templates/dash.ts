/**
 * The dashboard's sign-in and its first page (工作台): who is signed in, what they may see (links into the JSON
 * API), and signing out. The pages with figures and charts come later; this page proves the sign-in end to end.
 */

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const title = '驻村工作台';
export const signInInWecom = '在企业微信中登录';
export const signInWeb = '企业微信扫码登录';
export const signInHint = '请用企业微信登录。在电脑上可扫码登录。';
export const signedOut = '已退出工作台。';
export const expired = '登录已过期或链接无效，请重新登录。';
export const notOnRoster = '您不在驻村工作名单中，或没有可查看的内容。如有疑问，请联系县委组织部。';
export const unavailable = '工作台暂时无法使用，请稍后重试。';
export const tooManyRequests = '访问过于频繁，请一分钟后再试。';

function page(body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font:16px/1.6 system-ui,sans-serif;margin:1rem auto;max-width:40rem;padding:0 1rem}a{color:#0b62c4}</style>
</head><body><h1>${title}</h1>
${body}
</body></html>`;
}

/** A sentence on a page of its own, with the way back to signing in. */
export function messagePage(text: string): string {
  return page(`<p>${esc(text)}</p>\n<p><a href="/dash">${title}</a></p>`);
}

/** Signing in: inside WeCom by OAuth, at a PC by scanning WeCom's QR code. */
export function signInPage(): string {
  return page(`<p>${signInHint}</p>
<p><a id="login-wecom" href="/dash/login">${signInInWecom}</a></p>
<p><a id="login-web" href="/dash/login/web">${signInWeb}</a></p>`);
}

/** The roles as the page names them. */
export const roleNames: Record<string, string> = {
  org: '县委组织部',
  township: '乡镇（街道）',
  'sending-unit': '派出单位',
  'team-leader': '领队',
  cadre: '驻村干部',
};
