/**
 * The smart robot's long connection against the fake WeCom's long-connection server, on real Redis: replies
 * with the callback's req_id, msgid de-duplication, reconnecting after a cut, replies kept across a disconnect
 * and pushed after, one connection per robot, a refused secret, and start/stop as a leader lease calls them.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ROBOT } from '../../src/fakewecom/server.js';
import type { Delivered } from '../../src/fakewecom/state.js';
import { countBot, counts, loadRoster, SENDER } from '../helpers/count-bot.js';
import { serveLongConnection, type LongConnBot } from '../helpers/longconn-bot.js';
import { useTestRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

const t = useTestRedis();
const lines: string[] = [];
const log = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  }),
);
let lc: LongConnBot;
let msgNo = 0;

const text = (content: string, msgid = `m${++msgNo}`, from = SENDER) => ({
  msgid,
  chattype: 'single',
  from: { userid: from },
  msgtype: 'text',
  text: { content },
});
const streamText = (body: Record<string, unknown> | null) => String((body?.stream as { content?: string })?.content);
const pushes = (): Delivered[] => lc.fake.sent().filter((d) => d.channel === 'robot_push');

beforeAll(async () => {
  await loadRoster(t.redis, t.keys);
  lc = await serveLongConnection(countBot(t.redis, t.keys, log), t.redis, t.keys, { log });
});
afterAll(() => lc.close());

describe('long connection', () => {
  it('answers a message with aibot_respond_msg and the callback req_id, and remembers the chat for pushes', async () => {
    const frame = await lc.frame(text('计次', 'first'));
    expect(frame).toMatchObject({ cmd: 'aibot_respond_msg', body: { msgtype: 'stream', stream: { finish: true } } });
    expect(streamText(frame!.body!)).toBe('已计次 bot:first');
    const reply = lc.fake.sent().find((d) => d.channel === 'robot_reply' && d.payload.req_id === frame!.headers.req_id);
    expect(reply?.to).toEqual([SENDER]);
    expect(await lc.channel.pushToUser(SENDER, { msgtype: 'markdown', markdown: { content: '通知' } })).toBe(true);
    expect(pushes().at(-1)).toMatchObject({ to: [SENDER], payload: { markdown: { content: '通知' } } });
    // Nobody else wrote to the robot: WeCom would not deliver, so the channel does not try.
    expect(await lc.channel.pushToUser('LiXiaoYan', { msgtype: 'markdown', markdown: { content: '通知' } })).toBe(
      false,
    );
  });

  it('welcomes with aibot_respond_welcome_msg', async () => {
    const frame = await lc.frame({
      msgid: 'enter-1',
      create_time: Math.floor(Date.now() / 1000),
      chattype: 'single',
      from: { userid: SENDER },
      msgtype: 'event',
      event: { eventtype: 'enter_chat' },
    });
    expect(frame).toMatchObject({ cmd: 'aibot_respond_welcome_msg', body: { msgtype: 'text' } });
  });

  it('gives a redelivered msgid its effect once and the same answer', async () => {
    const first = await lc.robot(text('计次', 'again'));
    const second = await lc.robot(text('计次', 'again'));
    expect(second).toEqual(first);
    expect((await counts(t.redis, t.keys))['bot:again']).toBe(1);
  });

  it('reconnects after a forced disconnect and keeps answering', async () => {
    const before = lc.fake.longConnection.events.filter((e) => e.kind === 'subscribed').length;
    lc.fake.longConnection.cutAll();
    await lc.fake.longConnection.subscribed(FAKE_ROBOT.botId, before + 1);
    expect(streamText(await lc.robot(text('计次', 'after-cut')))).toBe('已计次 bot:after-cut');
  });

  it('sends a reply it could not send before a disconnect as a push after reconnecting', async () => {
    const before = lc.fake.longConnection.events.filter((e) => e.kind === 'subscribed').length;
    const pushed = pushes().length;
    lc.fake.longConnection.cutAfterNextCallback();
    lc.fake.longConnection.deliver(FAKE_ROBOT.botId, text('计次', 'cut-reply'));
    await lc.fake.longConnection.subscribed(FAKE_ROBOT.botId, before + 1);
    await until(() => pushes().length > pushed, 'the kept reply pushed', 5_000);
    expect(pushes().slice(pushed)).toMatchObject([
      { to: [SENDER], msgtype: 'markdown', payload: { markdown: { content: '已计次 bot:cut-reply' } } },
    ]);
    expect(await t.redis.llen(t.keys.robotPending())).toBe(0);
    expect((await counts(t.redis, t.keys))['bot:cut-reply']).toBe(1);
    expect(lines.some((l) => l.includes('reply not sent; kept to go out as a push'))).toBe(true);
  });

  it('lets a second connection replace the first (disconnected_event), which stops answering', async () => {
    const second = lc.another();
    const before = lc.fake.longConnection.events.filter((e) => e.kind === 'subscribed').length;
    second.start();
    await lc.fake.longConnection.subscribed(FAKE_ROBOT.botId, before + 1);
    expect(lc.fake.longConnection.events.at(-2)?.kind).toBe('replaced');
    await until(() => lc.channel.state !== 'connected', 'the first channel to lose the connection', 5_000);
    expect(lines.some((l) => l.includes('replaced by another connection'))).toBe(true);
    const frame = await lc.frame(text('计次', 'to-second'));
    expect(streamText(frame!.body!)).toBe('已计次 bot:to-second');
    expect(second.state).toBe('connected');
    // Hand the connection back to the first channel for the tests after this one (as a lease would).
    await second.stop();
    await lc.channel.stop();
    lc.channel.start();
    await lc.fake.longConnection.subscribed(FAKE_ROBOT.botId, before + 2);
  });

  it('is refused with a wrong secret and says which settings to check', async () => {
    const wrong = lc.another({ secret: 'not-the-secret' });
    wrong.start();
    await until(
      () => lines.some((l) => l.includes('long connection refused: check WECOM_BOT_ID and WECOM_BOT_SECRET')),
      'the refusal in the log',
      5_000,
    );
    expect(lc.fake.longConnection.events.some((e) => e.kind === 'refused' && e.reason === 'wrong secret')).toBe(true);
    expect(wrong.state).toBe('connecting');
    await wrong.stop();
    // The secret never reaches the record of frames.
    expect(JSON.stringify(lc.fake.longConnection.frames)).not.toContain('not-the-secret');
    expect(lc.fake.longConnection.isConnected(FAKE_ROBOT.botId)).toBe(true);
  });

  it('starts and stops idempotently, and stop closes the socket at once', async () => {
    lc.channel.start();
    expect(lc.channel.state).toBe('connected');
    const closed = lc.fake.longConnection.events.filter((e) => e.kind === 'closed').length;
    await lc.channel.stop();
    await lc.channel.stop();
    expect(lc.channel.state).toBe('stopped');
    await until(
      () => lc.fake.longConnection.events.filter((e) => e.kind === 'closed').length > closed,
      'the socket closed',
      2_000,
    );
    expect(lc.fake.longConnection.isConnected(FAKE_ROBOT.botId)).toBe(false);
    const before = lc.fake.longConnection.events.filter((e) => e.kind === 'subscribed').length;
    lc.channel.start();
    await lc.fake.longConnection.subscribed(FAKE_ROBOT.botId, before + 1);
  });
});
