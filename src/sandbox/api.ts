/**
 * The JSON API of the sandbox page, under `/sandbox/api/`: who can be played and who is being played (the
 * identity cookie the sandbox's OAuth step also reads), the conversations, sending, location, card clicks,
 * the simulated clock, scheduled jobs and the reset. Each action goes through `SandboxActions`, which posts
 * real WeCom callbacks; this file only reads requests and answers JSON.
 */
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import type { Context } from 'koa';
import { z } from 'zod';
import { ConfigError } from '../config/env.js';
import type { Deps } from '../core/deps.js';
import { jsonApi, localOnly } from '../http/guard.js';
import { readJson } from '../http/json.js';
import type { Person } from '../roster/roster.js';
import * as T from '../../templates/sandbox.js';
import type { SandboxActions } from './actions.js';
import type { ChatLog } from './chatlog.js';
import type { SimulatedClock } from './clock.js';
import type { SandboxJobs } from './jobs.js';
import { conversationsOf, directory, type Conversation } from './people.js';
import { countyMap, presetsFor } from './places.js';
import { SANDBOX_USER_COOKIE } from './wecom-side.js';
import { isStorageError } from '../redis/errors.js';

export interface ApiOptions {
  deps: Deps;
  log: ChatLog;
  actions: SandboxActions;
  clock: SimulatedClock;
  jobs?: SandboxJobs;
  /** Wipe the domain data and seed the history again; refused (409) unless the store is a sandbox store. */
  reset(): Promise<{ problems: string[] }>;
  /** ZHUCUN_SANDBOX_OPEN=1: answer callers on other machines too. */
  open?: boolean;
}

const coordinate = { lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) };
const schemas = {
  as: z.object({ userid: z.string().min(1).max(64) }),
  send: z.object({ chat: z.string().min(1).max(200), text: z.string().trim().min(1).max(2000) }),
  location: z.object({ ...coordinate, label: z.string().max(200).optional() }),
  click: z.object({
    chat: z.string().min(1).max(200),
    taskId: z.string().min(1).max(128),
    key: z.string().min(1).max(1024),
    cardType: z.string().max(64).default('button_interaction'),
  }),
  clock: z.object({
    at: z.string().max(40).optional(),
    shiftMs: z.number().int().optional(),
    real: z.boolean().optional(),
  }),
  job: z.object({ id: z.string().min(1).max(64) }),
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function body<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJson(ctx, 16_384));
  if (!parsed.success)
    throw new ApiError(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** The bot's own address as this request reached it: callbacks go there, whatever PUBLIC_URL says. */
function selfBase(ctx: Context): string {
  const { localAddress, localPort } = ctx.req.socket;
  const host = localAddress?.includes(':') ? `[${localAddress}]` : (localAddress ?? '127.0.0.1');
  return `http://${host}:${localPort}`;
}

export function createSandboxApi(o: ApiOptions): Router {
  const router = createRouter({ prefix: '/sandbox/api' });
  const roster = () => o.deps.roster.get();
  const guard = { log: o.deps.log, publicUrl: o.deps.publicUrl };
  if (!o.open) router.use(localOnly(guard));
  router.use(jsonApi(guard));

  async function me(ctx: Context): Promise<Person | undefined> {
    const id = ctx.cookies.get(SANDBOX_USER_COOKIE);
    let userid: string;
    try {
      userid = decodeURIComponent(id ?? '');
    } catch {
      return undefined; // a cookie that is not ours (bad percent-escape): nobody chosen
    }
    return userid ? (await roster()).person(userid) : undefined;
  }
  async function need(ctx: Context): Promise<{ person: Person; conversations: Conversation[] }> {
    const person = await me(ctx);
    if (!person) throw new ApiError(403, T.page.pickFirst);
    return { person, conversations: conversationsOf(await roster(), person) };
  }
  function conversation(list: Conversation[], id: string): Conversation {
    const conv = list.find((c) => c.id === id || (id === 'group' && c.chatId));
    if (!conv) throw new ApiError(400, `no conversation ${id} for this person`);
    return conv;
  }
  async function describeMe(ctx: Context) {
    const person = await me(ctx);
    if (!person) return { person: null, conversations: [], places: [] };
    const r = await roster();
    const entry = directory(r)
      .flatMap((g) => g.people)
      .find((p) => p.userid === person.userid);
    return {
      person: entry,
      conversations: conversationsOf(r, person).map(({ id, title }) => ({ id, title })),
      places: presetsFor(r, person),
    };
  }
  async function clockState() {
    await o.clock.sync();
    return { now: o.clock.now().toISOString(), movable: o.clock.movable };
  }

  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (!(err instanceof ApiError) && status !== undefined && status < 500) {
        // The client's mistake (a body over the limit): its own status, not a gateway error.
        ctx.status = status;
        ctx.body = { error: (err as Error).message };
        return;
      }
      if (!(err instanceof ApiError)) {
        o.deps.log.error({ err, path: ctx.path }, 'sandbox: request failed');
        // Redis down is the same 503 as everywhere; anything else is the bot behind the page failing.
        ctx.status = isStorageError(err) ? 503 : 502;
        ctx.body = { error: err instanceof Error ? err.message : String(err) };
        return;
      }
      ctx.status = err.status;
      ctx.body = { error: err.message };
    }
  });

  router.get('/people', async (ctx) => {
    const r = await roster();
    ctx.body = {
      county: r.data.county ?? '',
      groups: directory(r),
      map: countyMap(r, o.deps.policy.checkin.geofenceRadiusMetres),
      publicUrl: o.deps.publicUrl,
    };
  });
  router.get('/me', async (ctx) => {
    ctx.body = await describeMe(ctx);
  });
  router.post('/as', async (ctx) => {
    const { userid } = await body(ctx, schemas.as);
    if (!(await roster()).person(userid)) throw new ApiError(400, `${userid} is not on the roster`);
    ctx.cookies.set(SANDBOX_USER_COOKIE, encodeURIComponent(userid), {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: 30 * 86_400_000,
      overwrite: true,
    });
    ctx.body = { ok: true };
  });

  router.get('/chats', async (ctx) => {
    const version = await o.log.version();
    if (String(ctx.query.since ?? '') === String(version)) {
      ctx.body = { version, changed: false };
      return;
    }
    const person = await me(ctx);
    if (!person) {
      ctx.body = { version, changed: true, conversations: [] };
      return;
    }
    const cards = await o.log.cards(person.userid);
    const conversations = await Promise.all(
      conversationsOf(await roster(), person).map(async (c) => {
        const items = (await o.log.read(c.chat)).map((item) =>
          item.body.kind === 'card' && item.body.card.taskId && cards[item.body.card.taskId]
            ? { ...item, state: cards[item.body.card.taskId] }
            : item,
        );
        return { id: c.id, title: c.title, items };
      }),
    );
    ctx.body = { version, changed: true, conversations };
  });

  router.post('/send', async (ctx) => {
    const { chat, text } = await body(ctx, schemas.send);
    const { person, conversations } = await need(ctx);
    await o.actions.say(selfBase(ctx), person, conversation(conversations, chat), text);
    ctx.body = { ok: true };
  });
  router.post('/location', async (ctx) => {
    const p = await body(ctx, schemas.location);
    await o.actions.sendLocation(selfBase(ctx), (await need(ctx)).person, p);
    ctx.body = { ok: true };
  });
  router.post('/enter', async (ctx) => {
    const p = await body(ctx, schemas.location);
    await o.actions.reportLocation(selfBase(ctx), (await need(ctx)).person, p);
    ctx.body = { ok: true };
  });
  router.post('/click', async (ctx) => {
    const { chat, ...click } = await body(ctx, schemas.click);
    const { person, conversations } = await need(ctx);
    await o.actions.click(selfBase(ctx), person, conversation(conversations, chat), click);
    ctx.body = { ok: true };
  });

  router.get('/clock', async (ctx) => {
    ctx.body = await clockState();
  });
  router.post('/clock', async (ctx) => {
    const b = await body(ctx, schemas.clock);
    if (!o.clock.movable) throw new ApiError(409, T.page.clockFixed);
    if (b.real) await o.clock.real();
    else if (b.at !== undefined) {
      const at = new Date(b.at);
      if (Number.isNaN(at.getTime())) throw new ApiError(400, `not a time: ${b.at}`);
      await o.clock.set(at);
    } else if (b.shiftMs !== undefined) await o.clock.shift(b.shiftMs);
    ctx.body = await clockState();
  });

  router.get('/jobs', (ctx) => {
    ctx.body = { jobs: (o.jobs?.list() ?? []).map((j) => ({ ...j, name: T.JOB_NAMES[j.id] ?? j.id })) };
  });
  router.post('/jobs/run', async (ctx) => {
    const { id } = await body(ctx, schemas.job);
    if (!o.jobs?.list().some((j) => j.id === id)) throw new ApiError(404, `no job ${id}`);
    await o.clock.sync();
    ctx.body = await o.jobs.run(id, o.clock.now());
  });

  router.post('/reset', async (ctx) => {
    const result = await o.reset().catch((err: unknown) => {
      throw err instanceof ConfigError ? new ApiError(409, err.message) : err;
    });
    ctx.body = { ok: true, ...result };
  });
  return router;
}
