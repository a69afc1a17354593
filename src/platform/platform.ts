/**
 * What differs between a real deployment and the local sandbox, behind one interface, so that the composition
 * root (app.ts) builds the same bot for both and chooses the platform once, from the run mode. Production reads
 * its WeCom settings and channels from the environment; the sandbox (src/sandbox/index.ts) brings a local
 * fake WeCom with public keys, sample data, a movable clock and its own pages.
 */
import type Router from '@koa/router';
import type { Bot } from '../core/bot.js';
import type { Clock } from '../core/clock.js';
import type { Deps } from '../core/deps.js';
import type { Registry } from '../core/registry.js';
import type { StoreKind } from '../config/store-kind.js';
import type { FakeWecom } from '../fakewecom/server.js';
import type { Logger } from '../log.js';
import type { RosterStore } from '../roster/store.js';
import type { AnyJob, JobContext } from '../schedule/job.js';

/** The WeCom app the bot sends as: the API's address and the app's credentials (empty strings when unset). */
export interface WecomApp {
  base: string;
  corpId: string;
  agentId: string;
  secret: string;
}

/** The callback channels the bot verifies and decrypts; one left out is not served. */
export interface Channels {
  app?: { token: string; aesKey: string; corpId: string };
  robot?: { token: string; aesKey: string };
  /** The smart robot over its long connection instead of callbacks (WECOM_BOT_MODE=long-connection). */
  longConnection?: { botId: string; secret: string; wsUrl: string };
}

/** The bot as built, handed to the platform before the scheduler starts. */
export interface BuiltBot {
  deps: Deps;
  bot: Bot;
  registry: Registry;
  /** The scheduler's context and job table. */
  jobs: { context: JobContext; table: readonly AnyJob[] };
  /** The environment the outbox resolves robot webhook keys from (see `Platform.sendEnv`). */
  sendEnv: Record<string, string | undefined>;
}

/** What a platform adds to the running server: routers of its own and how to stop what it started for them. */
export interface Attached {
  routers: Router[];
  close(): Promise<void>;
}

/**
 * One platform per start. app.ts calls its steps in this order: `storeKind` is claimed before anything is
 * written, `fillEmptyRoster` only when the roster is empty and none is named, `startWecom` before the API
 * client is built, `attach` after the bot is built and before the scheduler starts (so that its catch-up runs
 * on whatever the platform put there). Every step that starts something is undone by `close` or
 * `Attached.close`, which app.ts calls in reverse order of starting.
 */
export interface Platform {
  /** The store marker claimed before anything is written (see config/store-kind). */
  readonly storeKind: StoreKind;
  /** The domain clock when the caller gives none. */
  readonly clock: Clock;
  /** The callback channels to serve. */
  readonly channels: Channels;
  /** Script URLs of WeCom's JS-SDK that the check-in page loads. */
  readonly jsSdkScripts: string[];
  /** The local fake WeCom, when the platform runs one (tests drive it). */
  readonly fake?: FakeWecom;
  /** Fill an empty roster, or throw saying how to import one. */
  fillEmptyRoster(roster: RosterStore, log: Logger): Promise<void>;
  /** Make the WeCom the bot talks to reachable and say how; undone by `close`. */
  startWecom(): Promise<WecomApp>;
  /** Where WeCom's OAuth authorize step lives ([D:91022]). */
  oauthBase(publicUrl: string): string;
  /** Where WeCom's web login (扫码登录) lives, for the dashboard at a PC. */
  webLoginBase(publicUrl: string): string;
  /** The environment the outbox resolves group robot webhook keys from. */
  sendEnv(roster: RosterStore): Promise<Record<string, string | undefined>>;
  /** Add the platform's own part to the built bot. */
  attach(built: BuiltBot): Promise<Attached>;
  /** Stop what `startWecom` started. */
  close(): Promise<void>;
}
