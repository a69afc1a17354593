/**
 * The same robot commands through both ways the smart robot reaches the bot: callbacks to `/wecom/bot` (signed,
 * encrypted, over HTTP) and the long connection (the fake WeCom's WebSocket server). Each case runs through
 * both; the answers must be what the command tests expect, and the same on both channels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../handlers/index.js';
import { Registry } from '../../src/core/registry.js';
import { serveBot } from '../../src/sandbox/serve-bot.js';
import { notAllowed } from '../../templates/common.js';
import * as R from '../../templates/rollup.js';
import { checkIn, days } from '../attendance/seed.js';
import { SAMPLE_GROUP, testBot } from '../helpers/bot.js';
import { sampleRosterData } from '../helpers/deps.js';
import { serveLongConnection } from '../helpers/longconn-bot.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const { bot, deps } = testBot(t, { commands: new Registry(commands), start: '2026-11-18T09:00:00+08:00' });
const NAMES = sampleRosterData().cadres.map((c) => c.name);

type Robot = (json: Record<string, unknown>) => Promise<Record<string, unknown> | null>;
const channels: Record<string, { robot?: Robot; close?: () => Promise<void> }> = {
  callback: {},
  'long-connection': {},
};
/** Every answer by channel and case, to compare the channels at the end. */
const answers: Record<string, Record<string, unknown>> = { callback: {}, 'long-connection': {} };

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  await checkIn(t, 'WangJianGuo', days('2026-10-08', '2026-10-31'));
  const http = await serveBot(bot);
  channels.callback = { robot: (json) => http.robot(json), close: () => http.close() };
  const lc = await serveLongConnection(bot, t.redis, t.keys);
  channels['long-connection'] = { robot: (json) => lc.robot(json), close: () => lc.close() };
});
afterAll(async () => {
  for (const c of Object.values(channels)) await c.close?.();
});

let n = 0;
/** A text to the robot, in a single chat or a group; the text of the finished stream it answers with. */
async function ask(channel: string, userId: string, text: string, chatId?: string): Promise<string> {
  const json = {
    msgid: `${channel}-${++n}`,
    chattype: chatId ? 'group' : 'single',
    ...(chatId ? { chatid: chatId } : {}),
    from: { userid: userId },
    msgtype: 'text',
    text: { content: chatId ? `@驻村助手 ${text}` : text },
  };
  const reply = await channels[channel]!.robot!(json);
  expect(reply).toMatchObject({ msgtype: 'stream', stream: { finish: true } });
  const content = String((reply!.stream as { content: string }).content);
  answers[channel]![`${userId} ${text} ${chatId ?? ''}`] = content;
  return content;
}

describe.each(['callback', 'long-connection'])('robot commands over %s', (channel) => {
  it('rolls up a closed month for the organisation department', async () => {
    const text = await ask(channel, 'WuJianZhong', '汇总 2026-10');
    expect(text).toContain('全县驻村考勤汇总 · 2026年10月（已结束）');
    expect(text).toContain('已达标 1 · 未达标 30');
  });

  it('gives only county totals in a group chat', async () => {
    const text = await ask(channel, 'WuJianZhong', '全县汇总 2026-10', SAMPLE_GROUP);
    expect(text).toContain(R.GROUP_NOTE);
    expect(text).not.toContain('新田乡');
    for (const name of NAMES) expect(text).not.toContain(name);
  });

  it('refuses a cadre and bad input the same way', async () => {
    expect(await ask(channel, 'LiXiaoYan', '全县考勤')).toBe(notAllowed('全县考勤', ['org', 'township']));
    expect(await ask(channel, 'WuJianZhong', '全县考勤 2026-13')).toBe(R.badMonth);
  });

  it('answers a personal query asked in a group only in the single chat', async () => {
    const text = await ask(channel, 'WangJianGuo', '考勤 王建国', SAMPLE_GROUP);
    expect(text).toContain('只在与本助手的单聊中回复');
    expect(await ask(channel, 'WangJianGuo', '考勤 王建国')).toContain('您的考勤');
  });

  it('welcomes a person entering the chat', async () => {
    const reply = await channels[channel]!.robot!({
      msgid: `${channel}-enter-${++n}`,
      create_time: Math.floor(Date.now() / 1000),
      chattype: 'single',
      from: { userid: 'WangJianGuo' },
      msgtype: 'event',
      event: { eventtype: 'enter_chat' },
    });
    expect(reply).toMatchObject({ msgtype: 'text' });
    answers[channel]!.welcome = reply;
  });
});

describe('both channels', () => {
  it('give the same answers', () => {
    expect(Object.keys(answers['long-connection']!).length).toBeGreaterThanOrEqual(7);
    expect(answers['long-connection']).toEqual(answers.callback);
  });
});
