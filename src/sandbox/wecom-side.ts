/**
 * The parts of WeCom itself that a browser meets, for the sandbox: the OAuth authorize step (WeCom knows who is
 * signed in; here the person chosen on the sandbox page, kept in a cookie) and the JS-SDK stand-in. The code it
 * hands out is issued by the fake WeCom, and the bot redeems it through `auth/getuserinfo` as in production.
 */
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import type { FakeWecom } from '../fakewecom/server.js';
import { jssdkStandIn } from './jssdk-standin.js';

export const SANDBOX_USER_COOKIE = 'zhucun_sandbox_user';

export function createWecomSideRouter(fake: FakeWecom): Router {
  const router = createRouter();
  router.get('/sandbox/jssdk-standin.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = jssdkStandIn;
  });
  // [D:91022] https://open.weixin.qq.com/connect/oauth2/authorize?appid=…&redirect_uri=…&response_type=code
  //   &scope=snsapi_base&state=…&agentid=…#wechat_redirect → redirect_uri?code=CODE&state=STATE
  router.get('/sandbox/connect/oauth2/authorize', (ctx) => {
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
    const target = new URL(redirect);
    target.searchParams.set('code', fake.issueOAuthCode(decodeURIComponent(user)));
    if (typeof ctx.query.state === 'string') target.searchParams.set('state', ctx.query.state);
    ctx.redirect(target.toString());
  });
  return router;
}
