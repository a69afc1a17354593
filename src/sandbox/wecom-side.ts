/**
 * The parts of WeCom itself that a browser meets, for the sandbox: the OAuth authorize step (WeCom knows who is
 * signed in; here the person chosen on the sandbox page, kept in a cookie) and the JS-SDK stand-in. The code it
 * hands out is issued by the fake WeCom, and the bot redeems it through `auth/getuserinfo` as in production.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createRouter } from '../http/router.js';
import type { FakeWecom } from '../fakewecom/server.js';
import { localOnly } from '../http/guard.js';
import type { Logger } from '../log.js';
import { jssdkStandIn } from './jssdk-standin.js';

export const SANDBOX_USER_COOKIE = 'zhucun_sandbox_user';

/** The JS-SDK stand-in the check-in page loads in the sandbox instead of WeCom's scripts. */
export const JSSDK_STANDIN_URL = '/sandbox/jssdk-standin.js';

export interface WecomSideOptions {
  /** The bot's public address: the only origin the authorize step sends a browser back to. */
  publicUrl: string;
  /** ZHUCUN_SANDBOX_OPEN=1: answer callers on other machines too. */
  open: boolean;
  log: Logger;
}

/** True when `target` is a page of the bot itself: PUBLIC_URL's origin, or localhost on the port asked. */
function ownPage(target: URL, publicUrl: string, localPort: number | undefined): boolean {
  if (target.origin === new URL(publicUrl).origin) return true;
  return ['localhost', '127.0.0.1', '[::1]'].some((h) => target.origin === `http://${h}:${localPort}`);
}

export function createWecomSideRouter(fake: FakeWecom, opts: WecomSideOptions): Router {
  const router = createRouter();
  if (!opts.open) router.use(localOnly({ log: opts.log, publicUrl: opts.publicUrl }));
  router.get(JSSDK_STANDIN_URL, (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = jssdkStandIn;
  });
  // [D:91022] https://open.weixin.qq.com/connect/oauth2/authorize?appid=…&redirect_uri=…&response_type=code
  //   &scope=snsapi_base&state=…&agentid=…#wechat_redirect → redirect_uri?code=CODE&state=STATE
  // [D:91022] https://open.weixin.qq.com/connect/oauth2/authorize?… and WeCom's web login (扫码登录)
  //   https://login.work.weixin.qq.com/wwlogin/sso/login?login_type=CorpApp&appid=…&agentid=…&redirect_uri=…
  //   &state=… both end in redirect_uri?code=CODE&state=STATE, a code auth/getuserinfo redeems.
  const signIn = (ctx: Context) => {
    const redirect = typeof ctx.query.redirect_uri === 'string' ? ctx.query.redirect_uri : '';
    const user = ctx.cookies.get(SANDBOX_USER_COOKIE);
    if (!redirect || ctx.query.appid !== fake.corpId) {
      ctx.status = 400;
      ctx.body = 'redirect_uri and appid are required';
      return;
    }
    if (!user) {
      ctx.status = 403;
      ctx.body = 'choose who you are on /sandbox first';
      return;
    }
    // WeCom redirects only into the app's trusted domain (可信域名) [D:91022]; the stand-in only to the bot itself,
    // so that a link to it cannot send a browser, with a fresh code, to another site.
    const target = URL.canParse(redirect) ? new URL(redirect) : undefined;
    if (!target || !ownPage(target, opts.publicUrl, ctx.req.socket.localPort)) {
      opts.log.warn({ redirect }, 'sandbox: OAuth redirect_uri outside the bot refused');
      ctx.status = 400;
      ctx.body = 'redirect_uri must be a page of this bot';
      return;
    }
    target.searchParams.set('code', fake.issueOAuthCode(decodeURIComponent(user)));
    if (typeof ctx.query.state === 'string') target.searchParams.set('state', ctx.query.state);
    ctx.redirect(target.toString());
  };
  router.get('/sandbox/connect/oauth2/authorize', signIn);
  router.get('/sandbox/wwlogin/sso/login', (ctx) => {
    if (ctx.query.login_type !== 'CorpApp' || ctx.query.agentid !== fake.agentId) {
      ctx.status = 400;
      ctx.body = 'login_type=CorpApp and the agentid of the app are required';
      return;
    }
    signIn(ctx);
  });
  return router;
}
