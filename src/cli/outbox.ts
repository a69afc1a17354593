/**
 * `zhucun outbox [--failed] [--json]` lists queued and failed outbound messages (or only failed ones);
 * `zhucun outbox retry ID` puts a failed message back in the queue with fresh attempts (ID is the job id shown
 * in the list, or the message's idempotency key); `zhucun outbox retry --all` does so for every failed message,
 * after a setting that stopped them all was fixed. Works on the same Redis as the running server.
 */
import { parseArgs } from 'node:util';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxEntry } from '../outbox/inspect.js';
import { printJson, UsageError, type CliIO } from './io.js';

/** What the subcommand needs from the caller: a Redis connection with the deployment's key namespace. */
export interface OutboxCliConnection {
  redis: RedisClient;
  keys: Keys;
  close(): Promise<void>;
}

const USAGE = 'usage: zhucun outbox [--failed] [--json]\n       zhucun outbox retry (ID | --all) [--json]';

const time = (ms: number) => new Date(ms).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function line(e: OutboxEntry): string {
  const when =
    e.state === 'failed' ? (e.failedReason ?? '') : e.nextAt ? `next ${time(e.nextAt)}` : `queued ${time(e.queuedAt)}`;
  return [e.id, e.state, e.purpose, e.to, e.body, `${e.attemptsMade}/${e.attempts}`, when].join('  ');
}

/** Run the subcommand; `open` connects to Redis (wired by `src/cli/main.ts`). */
export async function run(argv: string[], io: CliIO, open: () => Promise<OutboxCliConnection>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      failed: { type: 'boolean' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const [action, id, ...extra] = positionals;
  if (action !== undefined && action !== 'retry') throw new UsageError(`unknown action "${action}"\n${USAGE}`);
  if (action === 'retry' && (values.all ? id !== undefined : !id || extra.length))
    throw new UsageError(`retry needs exactly one ID, or --all\n${USAGE}`);

  const conn = await open();
  const outbox = new Outbox({ redis: conn.redis, keys: conn.keys, log: io.log });
  try {
    if (action === 'retry' && values.all) {
      const outcomes = await outbox.retryAllFailed();
      if (values.json) printJson(io, { retried: outcomes });
      else io.out(`${outcomes.filter((o) => o.ok).length} failed message(s) re-queued\n`);
      return outcomes.every((o) => o.ok) ? 0 : 1;
    }
    if (action === 'retry') {
      const outcome = await outbox.retry(id!);
      if (values.json) printJson(io, outcome);
      else if (outcome.ok)
        io.out(
          `${outcome.id}: ${outcome.action === 'requeued' ? 're-queued with fresh attempts' : 'delayed message will run now'}\n`,
        );
      else
        io.err(
          `${outcome.id}: ${outcome.reason === 'not found' ? 'no such message' : `not failed (state ${outcome.state})`}\n`,
        );
      return outcome.ok ? 0 : 1;
    }
    const entries = await outbox.list({ failed: values.failed });
    if (values.json) printJson(io, { messages: entries });
    else if (!entries.length) io.out(values.failed ? 'no failed messages\n' : 'outbox is empty\n');
    else io.out(`${entries.map(line).join('\n')}\n`);
    return 0;
  } finally {
    await outbox.close();
    await conn.close();
  }
}
