/**
 * The smart robot's long connection for tests: the fake WeCom's long-connection server and the bot's real
 * `LongConnection` subscribed to it, on the test's Redis. `robot(json)` delivers a callback as WeCom does and
 * answers with the body of the bot's reply frame, the same JSON the `/wecom/bot` callback answers with.
 */
import type { Clock } from '../../src/core/clock.js';
import { systemClock } from '../../src/core/clock.js';
import { FAKE_ROBOT, startFakeWecom, type FakeWecom } from '../../src/fakewecom/server.js';
import type { RobotFrame } from '../../src/fakewecom/longconn.js';
import { silentLogger, type Logger } from '../../src/log.js';
import type { RedisClient } from '../../src/redis/client.js';
import type { Keys } from '../../src/redis/keys.js';
import { LongConnection, type UpdateHandler } from '../../src/wecom/longconn/channel.js';

export interface LongConnBot {
  fake: FakeWecom;
  channel: LongConnection;
  /** Deliver a callback body; the bot's reply frame body (null when it sends none within `timeoutMs`). */
  robot(json: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown> | null>;
  /** As `robot`, the whole reply frame (cmd, req_id). */
  frame(json: Record<string, unknown>, timeoutMs?: number): Promise<RobotFrame | null>;
  /** A new channel on the same fake, Redis and bot (another instance); not started. */
  another(overrides?: { secret?: string; log?: Logger }): LongConnection;
  close(): Promise<void>;
}

export async function serveLongConnection(
  bot: UpdateHandler,
  redis: RedisClient,
  keys: Keys,
  opts: { clock?: Clock; log?: Logger; fake?: FakeWecom } = {},
): Promise<LongConnBot> {
  const fake = opts.fake ?? (await startFakeWecom());
  const channels: LongConnection[] = [];
  const another: LongConnBot['another'] = (o = {}) => {
    const c = new LongConnection({
      botId: FAKE_ROBOT.botId,
      secret: o.secret ?? FAKE_ROBOT.secret,
      wsUrl: fake.wsUrl,
      bot,
      redis,
      keys,
      clock: opts.clock ?? systemClock,
      log: o.log ?? opts.log ?? silentLogger,
      reconnectBaseMs: 50,
    });
    channels.push(c);
    return c;
  };
  const channel = another();
  channel.start();
  await fake.longConnection.subscribed(FAKE_ROBOT.botId);
  const frame = (json: Record<string, unknown>, timeoutMs?: number) =>
    fake.longConnection.callback(FAKE_ROBOT.botId, json, timeoutMs);
  return {
    fake,
    channel,
    frame,
    robot: async (json, timeoutMs) => (await frame(json, timeoutMs))?.body ?? null,
    another,
    async close() {
      for (const c of channels) await c.stop();
      if (!opts.fake) await fake.stop();
    },
  };
}
