import { describe, expect, it } from 'vitest';
import { parseAppMessage } from '../../src/wecom/app-message.js';
import { parseBotCallback } from '../../src/wecom/bot-message.js';
import { CallbackError, WecomCrypto } from '../../src/wecom/crypto.js';
import { appReplyEnvelope, botReplyEnvelope, parseAppEnvelope, parseBotEnvelope } from '../../src/wecom/envelope.js';
import {
  buildAppCallback,
  buildBotCallback,
  buildVerifyQuery,
  openAppReply,
  openBotReply,
  toQueryString,
} from '../../src/wecom/simulate.js';

const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const app = new WecomCrypto({ token: 'QDG6eK', encodingAESKey: KEY, receiveId: 'wx5823bf96d3bd56c7' });
const robot = new WecomCrypto({ token: 'QDG6eK', encodingAESKey: KEY, receiveId: '' });
const opts = { timestamp: 1763427600, nonce: 'n123' };

describe('simulated WeCom requests go through the real edge layers', () => {
  it('an app callback verifies, decrypts and parses', () => {
    const { query, body } = buildAppCallback(
      app,
      {
        ToUserName: 'wx5823bf96d3bd56c7',
        FromUserName: 'zhangsan',
        CreateTime: 1763427600,
        MsgType: 'text',
        Content: 'a]]>b',
        MsgId: '99',
        AgentID: 218,
      },
      opts,
    );
    expect(query).toMatchObject({ timestamp: '1763427600', nonce: 'n123' });
    const env = parseAppEnvelope(body);
    expect(env).toMatchObject({ toUserName: 'wx5823bf96d3bd56c7', agentId: '218' });
    const u = parseAppMessage(app.decryptMessage(query.msg_signature, query.timestamp, query.nonce, env.encrypt));
    expect([u.id, u.text]).toEqual(['app:msg:99', 'a]]>b']);
  });

  it('a robot callback verifies, decrypts and parses with receive-id ""', () => {
    const { query, body } = buildBotCallback(
      robot,
      { msgid: 'm1', from: { userid: 'u' }, msgtype: 'text', text: { content: 'hi' } },
      opts,
    );
    const plaintext = robot.decryptMessage(
      query.msg_signature,
      query.timestamp,
      query.nonce,
      parseBotEnvelope(body).encrypt,
    );
    const parsed = parseBotCallback(plaintext, new Date());
    expect(parsed.type === 'update' && parsed.update.text).toBe('hi');
  });

  it('a verification query round-trips, and its string form percent-encodes + / =', () => {
    const q = buildVerifyQuery(robot, '1616140317555161061', { ...opts, random: Buffer.from('????????????????') });
    expect(robot.verifyUrl(q)).toBe('1616140317555161061');
    const qs = toQueryString(q);
    for (const part of qs.split('&')) expect(part.split('=')[1]).not.toMatch(/[+/=]/);
    expect(qs).toContain('%3D');
    expect(new URLSearchParams(qs).get('echostr')).toBe(q.echostr);
  });

  it('passive replies open and their signatures are checked', () => {
    const sealed = {
      ...app.encryptReply('<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ok]]></Content></xml>', 1, 'n'),
      timestamp: 1,
      nonce: 'n',
    };
    expect(openAppReply(app, appReplyEnvelope(sealed)).fields).toEqual({ MsgType: 'text', Content: 'ok' });
    expect(() => openAppReply(app, appReplyEnvelope({ ...sealed, signature: 'f'.repeat(40) }))).toThrow(CallbackError);

    const botSealed = { ...robot.encryptReply('{"msgtype":"stream"}', 2, 'n2'), timestamp: 2, nonce: 'n2' };
    expect(openBotReply(robot, botReplyEnvelope(botSealed))).toMatchObject({
      json: { msgtype: 'stream' },
      timestamp: 2,
      nonce: 'n2',
    });
    expect(() =>
      openBotReply(robot, JSON.stringify({ ...JSON.parse(botReplyEnvelope(botSealed)), timestamp: '2' })),
    ).toThrow(CallbackError);
  });
});
