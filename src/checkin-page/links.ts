/**
 * The links into the check-in page: the one posted in chat, WeCom's OAuth authorize link it goes on to, and the
 * WeCom JS-SDK scripts the page loads.
 */

/** WeCom's JS-SDK: the base SDK for `wx.config` and the WeCom one for `wx.agentConfig`. */
export const JSSDK_SCRIPTS = [
  'https://res.wx.qq.com/open/js/jweixin-1.2.0.js',
  'https://open.work.weixin.qq.com/wwopen/js/jwxwork-1.0.0.js',
];

/** Where WeCom's OAuth authorize step lives ([D:91022] 构造网页授权链接). */
export const WECOM_OAUTH_BASE = 'https://open.weixin.qq.com';

/**
 * The OAuth link that opens a page inside WeCom signed in ([D:91022] 构造网页授权链接). `state` is the
 * per-opening nonce the check-in page issues and checks (`a-zA-Z0-9`, at most 128 bytes).
 */
export function oauthLink(base: string, corpId: string, agentId: string, redirect: string, state: string): string {
  const q = new URLSearchParams({
    appid: corpId,
    redirect_uri: redirect,
    response_type: 'code',
    scope: 'snsapi_base',
    state,
    agentid: agentId,
  });
  return `${base}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
}

/** Where WeCom's web login (扫码登录 at a PC) lives. */
export const WECOM_WEB_LOGIN_BASE = 'https://login.work.weixin.qq.com';

/**
 * WeCom's web login link for the app (扫码登录, `login_type=CorpApp`): the person scans the QR code with WeCom
 * (or confirms in the desktop client) and WeCom redirects to `redirect` with `code` and `state`, a code that
 * `auth/getuserinfo` turns into the userid as the OAuth one.
 */
export function webLoginLink(base: string, corpId: string, agentId: string, redirect: string, state: string): string {
  const q = new URLSearchParams({
    login_type: 'CorpApp',
    appid: corpId,
    agentid: agentId,
    redirect_uri: redirect,
    state,
  });
  return `${base}/wwlogin/sso/login?${q.toString()}`;
}

/** The check-in link posted in chat: it issues a fresh OAuth `state` and goes on to WeCom's authorize URL. */
export function checkinStartLink(publicUrl: string): string {
  return `${publicUrl}/checkin/start`;
}
