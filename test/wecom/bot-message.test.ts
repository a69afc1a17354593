import { describe, expect, it } from 'vitest';
import { parseBotCallback } from '../../src/wecom/bot-message.js';
import { CallbackError } from '../../src/wecom/crypto.js';

const now = new Date('2026-11-18T09:00:00+08:00');
const base = {
  msgid: 'CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=',
  aibotid: 'AIBOTID',
  from: { userid: 'zhangsan' },
  response_url: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC',
};
const group = { ...base, chatid: 'CHAT1', chattype: 'group' };
const single = { ...base, chattype: 'single' };

function update(json: Record<string, unknown>) {
  const parsed = parseBotCallback(JSON.stringify(json), now);
  if (parsed.type !== 'update') throw new Error(`expected an update, got ${parsed.type}`);
  return parsed.update;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CallbackError);
    return (err as CallbackError).code;
  }
  return 'nothing thrown';
}

describe('robot messages', () => {
  it('group text loses the leading @BotName and keeps the chat', () => {
    expect(update({ ...group, msgtype: 'text', text: { content: '@驻村助手 请假 事假 明天' } })).toEqual({
      id: 'bot:CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=',
      channel: 'bot',
      userId: 'zhangsan',
      chatId: 'CHAT1',
      chatType: 'group',
      kind: 'text',
      text: '请假 事假 明天',
      responseUrl: base.response_url,
      time: now,
    });
  });

  it('single-chat text has no chat id', () => {
    const u = update({ ...single, msgtype: 'text', text: { content: '签到' } });
    expect([u.chatType, u.chatId, u.text]).toEqual(['single', undefined, '签到']);
  });

  it('mixed joins its text items and keeps the first image', () => {
    expect(
      update({
        ...group,
        msgtype: 'mixed',
        mixed: {
          msg_item: [
            { msgtype: 'text', text: { content: '@驻村助手 汇报 走访三户' } },
            { msgtype: 'image', image: { url: 'https://img/1' } },
            { msgtype: 'text', text: { content: '已整改' } },
            { msgtype: 'image', image: { url: 'https://img/2' } },
          ],
        },
      }),
    ).toMatchObject({ kind: 'mixed', text: '汇报 走访三户\n已整改', media: { url: 'https://img/1' } });
  });

  it('voice is its recognised text', () => {
    expect(update({ ...single, msgtype: 'voice', voice: { content: '我要签到' } })).toMatchObject({
      kind: 'text',
      text: '我要签到',
    });
  });

  it('image, file and video keep their url', () => {
    expect(update({ ...single, msgtype: 'image', image: { url: 'https://img/1' } })).toMatchObject({
      kind: 'image',
      media: { url: 'https://img/1' },
    });
    expect(update({ ...single, msgtype: 'file', file: { url: 'https://f/1' } })).toMatchObject({
      kind: 'file',
      media: { url: 'https://f/1' },
    });
    expect(update({ ...single, msgtype: 'video', video: { url: 'https://v/1' } })).toMatchObject({
      kind: 'video',
      media: { url: 'https://v/1' },
    });
  });

  it('an unknown message type is kind other', () => {
    expect(update({ ...single, msgtype: 'sticker', sticker: {} })).toMatchObject({
      kind: 'other',
      id: `bot:${base.msgid}`,
    });
  });

  it('a stream refresh is recognised, not turned into an update', () => {
    expect(parseBotCallback(JSON.stringify({ ...single, msgtype: 'stream', stream: { id: 'STREAMID' } }), now)).toEqual(
      {
        type: 'stream_refresh',
        id: `bot:${base.msgid}`,
        userId: 'zhangsan',
        streamId: 'STREAMID',
      },
    );
  });
});

describe('robot events', () => {
  const ev = (event: Record<string, unknown>) =>
    update({ ...single, create_time: 1763427600, msgtype: 'event', event });

  it('enter_chat uses create_time', () => {
    expect(ev({ eventtype: 'enter_chat', enter_chat: {} })).toMatchObject({
      id: `bot:${base.msgid}`,
      kind: 'event',
      event: { type: 'enter_chat' },
      time: new Date(1763427600 * 1000),
    });
  });

  it('template_card_event carries event_key, task_id and card_type', () => {
    expect(
      ev({
        eventtype: 'template_card_event',
        template_card_event: { card_type: 'button_interaction', event_key: 'leave-approve:Q1', task_id: 'leave-Q1' },
      }),
    ).toMatchObject({
      kind: 'event',
      event: {
        type: 'template_card_event',
        key: 'leave-approve:Q1',
        taskId: 'leave-Q1',
        cardType: 'button_interaction',
      },
    });
  });

  it('feedback_event is an event with its type only', () => {
    expect(ev({ eventtype: 'feedback_event', feedback_event: { id: 'F1', type: 1 } }).event).toEqual({
      type: 'feedback_event',
    });
  });
});

describe('robot refusals', () => {
  it('missing msgid, user, msgtype, event type or card fields are refused', () => {
    expect(codeOf(() => update({ ...single, msgid: undefined, msgtype: 'text', text: { content: 'x' } }))).toBe(
      'missing_field',
    );
    expect(codeOf(() => update({ ...single, from: {}, msgtype: 'text', text: { content: 'x' } }))).toBe(
      'missing_field',
    );
    expect(codeOf(() => update({ ...single }))).toBe('missing_field');
    expect(codeOf(() => update({ ...single, msgtype: 'event', event: {} }))).toBe('missing_field');
    expect(
      codeOf(() =>
        update({
          ...single,
          msgtype: 'event',
          event: { eventtype: 'template_card_event', template_card_event: { event_key: 'k' } },
        }),
      ),
    ).toBe('missing_field');
    expect(codeOf(() => update({ ...single, msgtype: 'stream', stream: {} }))).toBe('missing_field');
  });

  it('wrong types and broken JSON are refused as malformed', () => {
    expect(codeOf(() => update({ ...single, msgtype: 'text', text: 'hello' }))).toBe('malformed');
    expect(codeOf(() => update({ ...single, msgtype: 'text', text: { content: 5 } }))).toBe('malformed');
    expect(
      codeOf(() => update({ ...single, create_time: 'soon', msgtype: 'event', event: { eventtype: 'enter_chat' } })),
    ).toBe('malformed');
    expect(codeOf(() => parseBotCallback('{"msgid":', now))).toBe('malformed');
  });
});
