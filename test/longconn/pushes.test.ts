/**
 * Pushes in long-connection mode, through the real outbox: a person who wrote to the robot gets the message as
 * an `aibot_send_msg` push in that chat; everybody else (and everybody while the connection is down) gets it
 * from the app's sending API; a message nobody can be reached with ends in the outbox's failed set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { FAKE_ROBOT } from '../../src/fakewecom/server.js';
import { silentLogger } from '../../src/log.js';
import { countBot, loadRoster } from '../helpers/count-bot.js';
import { serveLongConnection, type LongConnBot } from '../helpers/longconn-bot.js';
import { useTestRedis } from '../helpers/redis.js';
import { startRig } from '../system/fixtures/outbox-rig.js';

const { redis, keys, url } = useTestRedis();
let lc: LongConnBot | undefined;
const rig = await startRig({
  redis,
  url,
  keys,
  fake: { knownUsers: ['WangJianGuo', 'LiXiaoYan', 'ZhaoWenBo'] },
  outbox: {
    attempts: 2,
    robot: { pushQueued: (key, userId, body) => lc!.channel.pushQueued(key, userId, body) },
  },
});
afterAll(async () => {
  await lc?.close();
  await rig.close();
});
beforeAll(async () => {
  await loadRoster(redis, keys);
  lc = await serveLongConnection(countBot(redis, keys, silentLogger), redis, keys, { fake: rig.fake });
  await lc.robot({
    msgid: 'hello',
    chattype: 'single',
    from: { userid: 'WangJianGuo' },
    msgtype: 'text',
    text: { content: '计次' },
  });
});

let seq = 0;
const message = (userIds: string[], body: Outbound['body'] = { type: 'text', content: `通知 ${++seq}` }): Outbound => ({
  key: `push:${++seq}`,
  purpose: 'test',
  to: { kind: 'user', userIds },
  body,
});
const sentFor = (key: string, content: string) =>
  rig.fake.sent().filter((d) => JSON.stringify(d.payload).includes(content) || d.payload.req_id === key);

describe('pushes over the long connection', () => {
  it('reach a person who wrote to the robot there, and the others through the app', async () => {
    const msg = message(['WangJianGuo', 'LiXiaoYan']);
    const content = (msg.body as { content: string }).content;
    await rig.outbox.enqueue([msg]);
    await rig.finish(msg.key);
    const sent = sentFor(msg.key, content);
    expect(sent.map((d) => [d.channel, d.to])).toEqual([
      ['robot_push', ['WangJianGuo']],
      ['app', ['LiXiaoYan']],
    ]);
    expect(sent[0]).toMatchObject({ msgtype: 'markdown', payload: { chatid: 'WangJianGuo' } });
  });

  it('send an approval card as a robot template card', async () => {
    const card = {
      kind: 'button_interaction' as const,
      title: '请假审批 Q7',
      taskId: 'leave-Q7',
      buttons: [{ text: '同意', key: 'approve:Q7' }],
    };
    const msg = message(['WangJianGuo'], { type: 'card', card });
    await rig.outbox.enqueue([msg]);
    await rig.finish(msg.key);
    const sent = sentFor(msg.key, '请假审批 Q7');
    expect(sent).toMatchObject([{ channel: 'robot_push', msgtype: 'template_card', to: ['WangJianGuo'] }]);
    expect(sent[0]!.payload.template_card).toMatchObject({ card_type: 'button_interaction', task_id: 'leave-Q7' });
  });

  it('go through the app while the connection is down', async () => {
    await lc!.channel.stop();
    const msg = message(['WangJianGuo']);
    await rig.outbox.enqueue([msg]);
    await rig.finish(msg.key);
    expect(sentFor(msg.key, (msg.body as { content: string }).content).map((d) => d.channel)).toEqual(['app']);
    lc!.channel.start();
    await rig.fake.longConnection.subscribed(FAKE_ROBOT.botId, 2);
  });

  it('report a message that reaches nobody in the failed set', async () => {
    const msg = message(['NoSuchPerson']);
    await rig.outbox.enqueue([msg]);
    await expect(rig.finish(msg.key)).rejects.toThrow();
    const failed = await rig.outbox.list({ failed: true });
    expect(failed.map((f) => f.key)).toContain(msg.key);
  });
});
