/**
 * Builds a middleware context by hand for the middleware unit tests: a real Tx and outbound list, a roster and
 * person from a small roster, and commands defined in the test.
 */
import { defineCommand, type CommandSpec } from '../../../src/core/command.js';
import { fixedClock } from '../../../src/core/clock.js';
import type { Deps } from '../../../src/core/deps.js';
import type { CommandTurn, PersonTurn, Turn } from '../../../src/core/middleware/turn.js';
import type { Outbound } from '../../../src/core/outbound.js';
import { Registry, type AnySpec } from '../../../src/core/registry.js';
import type { Update } from '../../../src/core/update.js';
import { silentLogger } from '../../../src/log.js';
import { defaultPolicy } from '../../../src/policy/policy.js';
import { Tx } from '../../../src/redis/tx.js';
import { Roster } from '../../../src/roster/roster.js';
import type { RosterData } from '../../../src/roster/schema.js';

export const rosterData: RosterData = {
  townships: [{ id: 'xt', name: '新田乡', usesWecomCheckin: false }],
  workGroups: [],
  villages: [{ id: 'bb', name: '北堡村', township: 'xt', lat: 35.6, lng: 111.3 }],
  cadres: [
    {
      userid: 'c1',
      name: '示例甲',
      role: '书记',
      village: 'bb',
      sendingUnit: '县财政局',
      termStart: '2026-04-28',
      termEnd: '2027-04-27',
      teamLeader: false,
    },
  ],
  supervisors: [{ userid: 'org1', name: '组织部示例', kind: 'org-department', scope: 'county' }],
  groups: [],
};
export const roster = new Roster(rosterData);

const help = { summary: '测试', usage: '测试', examples: [] };
const ok = async () => ({ text: 'ok' });
/** A command for cadres only, one for anyone, and one only in the one-to-one chat. */
export const cadreOnly = defineCommand({ id: 'cadre-only', aliases: ['干部命令'], roles: ['cadre'], help, handle: ok });
export const anyone = defineCommand({ id: 'anyone', aliases: ['大家的命令'], roles: 'any', help, handle: ok });
export const secret = defineCommand({
  id: 'secret',
  aliases: ['我的秘密'],
  roles: 'any',
  privateOnly: true,
  help,
  handle: ok,
});

export function textUpdate(text: string, more: Partial<Update> = {}): Update {
  const time = new Date('2026-11-18T09:00:00+08:00');
  return { id: 'u1', channel: 'app', userId: 'c1', chatType: 'single', kind: 'text', text, time, ...more };
}

export function clickUpdate(key: string, userId = 'c1'): Update {
  return {
    id: 'k1',
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'event',
    event: { type: 'template_card_event', key, taskId: 't1', responseCode: 'rc' },
    time: new Date('2026-11-18T09:00:00+08:00'),
  };
}

/** A turn before any middleware ran; `deps` only as far as the middleware under test reads them. */
export function turn(update: Update, opts: { deps?: Partial<Deps>; specs?: AnySpec[] } = {}): Turn {
  const outbound: Outbound[] = [];
  const deps = { policy: defaultPolicy(), clock: fixedClock('2026-11-18T09:00:00+08:00'), ...opts.deps } as Deps;
  const t: Turn = {
    update,
    now: deps.clock.now(),
    deps,
    repos: deps.repos,
    registry: new Registry(opts.specs ?? [cadreOnly, anyone, secret]),
    tx: new Tx(),
    log: silentLogger,
    outbound,
    send: (m) => outbound.push(m),
    ask: (command, keep) => {
      t.asked = { command, keep };
    },
    reply: null,
  };
  return t;
}

/** A turn after the known-person middleware, for `userId` on the small roster. */
export function personTurn(update: Update, opts: { deps?: Partial<Deps>; specs?: AnySpec[] } = {}): PersonTurn {
  const person = roster.person(update.userId);
  if (!person) throw new Error(`${update.userId} is not on the test roster`);
  return { ...turn(update, opts), person, roster };
}

/** A turn routed to `spec` with `rest` as the text after its word. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function commandTurn(update: Update, spec: CommandSpec<any, any>, rest = ''): CommandTurn {
  return { ...personTurn(update), command: { spec, rest } };
}

/** Middleware's `next` that counts its calls. */
export function counter(): { next: () => Promise<void>; calls: () => number } {
  let n = 0;
  return { next: async () => void n++, calls: () => n };
}
