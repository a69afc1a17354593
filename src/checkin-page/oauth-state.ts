/**
 * The OAuth `state` of the check-in page ([D:91022]: `a-zA-Z0-9`, at most 128 bytes). The link posted in chat
 * is built ahead of time, so it cannot carry a fresh value: it points at `GET /checkin/start`, which issues a
 * random nonce per opening, keeps it in Redis for a short while, sets it in a cookie of this browser and
 * redirects to WeCom's authorize URL with it as `state`. When WeCom redirects back with `code` and `state`,
 * the state must equal the cookie and still be in Redis, and is deleted there: a redirect URL forwarded to
 * someone else, replayed or forged is refused before WeCom is asked anything. Binding to the browser is what
 * stops an absent cadre from sending a colleague in the village a link that checks *him* in with *her* position.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { tokenMatches } from '../http/credentials.js';

export const STATE_COOKIE = 'zhucun_checkin_state';
/** The dashboard's sign-in keeps its state in a cookie of its own, so it never clobbers a check-in's. */
export const DASHBOARD_STATE_COOKIE = 'zhucun_dash_state';

const cookieOf = (purpose: PagePurpose | undefined) =>
  purpose?.kind === 'dashboard' ? DASHBOARD_STATE_COOKIE : STATE_COOKIE;
const STATE = /^[0-9a-f]{32}$/;

/** What a state holds for a plain check-in; a visit's state holds `v:<village id>`. */
const CHECKIN = '1';
/** What a state holds for a sign-in to the dashboard (src/dash/). */
const DASHBOARD = 'd';

/**
 * Why the page was opened: a cadre's check-in, a leader's visit (到村调研) to a village, or a sign-in to the
 * dashboard. Each callback accepts only its own purpose.
 */
export type PagePurpose = { kind: 'checkin' } | { kind: 'visit'; village: string } | { kind: 'dashboard' };

/**
 * Issue a nonce for one opening of the page: stored for `ttlS` with the page's purpose, set as an HttpOnly
 * cookie.
 */
export async function issueState(
  ctx: Context,
  redis: RedisClient,
  keys: Keys,
  o: { ttlS: number; secure: boolean; purpose?: PagePurpose },
): Promise<string> {
  const nonce = randomBytes(16).toString('hex');
  const value =
    o.purpose?.kind === 'visit' ? `v:${o.purpose.village}` : o.purpose?.kind === 'dashboard' ? DASHBOARD : CHECKIN;
  await redis.set(keys.checkinState(nonce), value, 'EX', o.ttlS);
  // Lax: the cookie comes back on WeCom's top-level redirect to us, never on a cross-site sub-request.
  ctx.append(
    'Set-Cookie',
    `${cookieOf(o.purpose)}=${nonce}; Path=/; Max-Age=${o.ttlS}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`,
  );
  return nonce;
}

/**
 * The page's purpose when the request's `state` is one this browser was issued and it has not been used, else
 * undefined; it is used up either way it matches (deleted in Redis), so a reload or a replay of the redirect
 * URL is refused.
 */
export async function consumeState(
  ctx: Context,
  redis: RedisClient,
  keys: Keys,
  /** Whose callback asks: the dashboard's reads its own cookie (the check-in page's by default). */
  from: 'page' | 'dashboard' = 'page',
): Promise<PagePurpose | undefined> {
  const name = from === 'dashboard' ? DASHBOARD_STATE_COOKIE : STATE_COOKIE;
  const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
  const cookie = ctx.cookies.get(name) ?? '';
  if (!STATE.test(state) || !STATE.test(cookie) || !tokenMatches(state, cookie)) return undefined;
  ctx.append('Set-Cookie', `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
  const held = await redis.getdel(keys.checkinState(state));
  if (held === CHECKIN) return { kind: 'checkin' };
  if (held === DASHBOARD) return { kind: 'dashboard' };
  if (held?.startsWith('v:')) return { kind: 'visit', village: held.slice(2) };
  return undefined;
}
