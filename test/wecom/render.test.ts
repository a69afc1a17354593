import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/core/reply.js';
import type { Update } from '../../src/core/update.js';
import { readXml } from '../../src/wecom/envelope.js';
import { renderAppReply, renderBotReply, streamIdFor, templateCard, truncateUtf8 } from '../../src/wecom/render.js';

const now = new Date('2026-11-18T09:00:00+08:00');
const appText: Update = {
  id: 'app:msg:1',
  channel: 'app',
  userId: 'zhangsan',
  chatType: 'single',
  kind: 'text',
  text: '签到',
  time: now,
};
const appClick: Update = {
  ...appText,
  id: 'app:evt:zhangsan:1:T1:leave-approve:Q1',
  kind: 'event',
  event: { type: 'template_card_event', key: 'leave-approve:Q1', taskId: 'T1' },
};
const botText: Update = { ...appText, id: 'bot:m1', channel: 'bot' };
const approval: Card = {
  kind: 'button_interaction',
  taskId: 'leave-Q1',
  title: '请假审批',
  description: '张三 事假 1 天',
  fields: [{ key: '日期', value: '11月19日' }],
  buttons: [
    { text: '同意', style: 1, key: 'leave-approve:Q1' },
    { text: '驳回', style: 3, key: 'leave-reject:Q1' },
  ],
};

describe('truncateUtf8', () => {
  it('never splits a character and marks the cut', () => {
    expect(truncateUtf8('abc', 3)).toBe('abc');
    const cut = truncateUtf8('驻'.repeat(1000), 2048);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(2048);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.slice(0, -1)).toBe('驻'.repeat(681));
    const emoji = truncateUtf8('😀'.repeat(10), 10);
    expect(emoji).toBe('😀…');
  });
});

describe('app passive reply', () => {
  it('text goes with To/From reversed and CreateTime now', () => {
    const xml = renderAppReply({ text: '签到成功' }, appText, 'ww-corp', now)!;
    expect(readXml(xml)).toEqual({
      ToUserName: 'zhangsan',
      FromUserName: 'ww-corp',
      CreateTime: String(now.getTime() / 1000),
      MsgType: 'text',
      Content: '签到成功',
    });
  });

  it('long text is cut to 2048 bytes', () => {
    const xml = renderAppReply({ text: '长'.repeat(3000) }, appText, 'c', now)!;
    expect(Buffer.byteLength(readXml(xml).Content as string)).toBeLessThanOrEqual(2048);
  });

  it('markdown and a card fall back to text', () => {
    expect(readXml(renderAppReply({ markdown: '**今日**' }, appText, 'c', now)!).Content).toBe('**今日**');
    expect(readXml(renderAppReply({ text: '待审批：', card: approval }, appText, 'c', now)!).Content).toBe(
      '待审批：\n\n请假审批\n张三 事假 1 天\n日期：11月19日',
    );
  });

  it('after a card click, replaceButton becomes update_button', () => {
    expect(readXml(renderAppReply({ text: '已同意', replaceButton: '已同意' }, appClick, 'c', now)!)).toMatchObject({
      ToUserName: 'zhangsan',
      MsgType: 'update_button',
      Button: { ReplaceName: '已同意' },
    });
  });

  it('nothing to say is null', () => {
    expect(renderAppReply({}, appText, 'c', now)).toBeNull();
  });
});

describe('robot passive reply', () => {
  it('text becomes a finished stream with an id derived from the update', () => {
    expect(renderBotReply({ text: 'ok' }, botText)).toEqual({
      msgtype: 'stream',
      stream: { id: streamIdFor('bot:m1'), finish: true, content: 'ok' },
    });
    expect(streamIdFor('bot:m1')).toBe(streamIdFor('bot:m1'));
    expect(streamIdFor('bot:m1')).not.toBe(streamIdFor('bot:m2'));
  });

  it('markdown is preferred and the stream is cut to 20480 bytes', () => {
    expect((renderBotReply({ text: 't', markdown: '**m**' }, botText)!.stream as { content: string }).content).toBe(
      '**m**',
    );
    const long = renderBotReply({ text: '长'.repeat(10000) }, botText)!.stream as { content: string };
    expect(Buffer.byteLength(long.content)).toBeLessThanOrEqual(20480);
  });

  it('a button card maps to template_card button_interaction', () => {
    expect(renderBotReply({ card: approval }, botText)).toEqual({
      msgtype: 'template_card',
      template_card: {
        card_type: 'button_interaction',
        main_title: { title: '请假审批' },
        sub_title_text: '张三 事假 1 天',
        horizontal_content_list: [{ keyname: '日期', value: '11月19日' }],
        button_list: [
          { text: '同意', style: 1, key: 'leave-approve:Q1' },
          { text: '驳回', style: 3, key: 'leave-reject:Q1' },
        ],
        task_id: 'leave-Q1',
      },
    });
  });

  it('text with a card goes as stream_with_template_card', () => {
    const r = renderBotReply({ text: '请审批', card: approval }, botText)!;
    expect(r.msgtype).toBe('stream_with_template_card');
    expect(r.stream).toEqual({ id: streamIdFor('bot:m1'), finish: true, content: '请审批' });
    expect((r.template_card as { task_id: string }).task_id).toBe('leave-Q1');
  });

  it('a text_notice needs a link; without one it is said as text', () => {
    expect(templateCard({ kind: 'text_notice', title: '公告', url: 'https://x/a' }, 't')).toEqual({
      card_type: 'text_notice',
      main_title: { title: '公告' },
      card_action: { type: 1, url: 'https://x/a' },
    });
    expect(renderBotReply({ card: { kind: 'text_notice', title: '公告', description: '明天开会' } }, botText)).toEqual({
      msgtype: 'stream',
      stream: { id: streamIdFor('bot:m1'), finish: true, content: '公告\n明天开会' },
    });
  });

  it('a button card without a task id gets one derived from the update', () => {
    const card = templateCard({ ...approval, taskId: undefined }, 'fallback-1') as { task_id: string };
    expect(card.task_id).toBe('fallback-1');
  });

  it('enter_chat answers with a welcome text, not a stream', () => {
    const enter: Update = { ...botText, kind: 'event', event: { type: 'enter_chat' } };
    expect(renderBotReply({ text: '欢迎' }, enter)).toEqual({ msgtype: 'text', text: { content: '欢迎' } });
  });

  it('after a card click: a card updates the clicked card, replaceButton alone is said as text', () => {
    const click: Update = {
      ...botText,
      kind: 'event',
      event: { type: 'template_card_event', key: 'leave-approve:Q1', taskId: 'leave-Q1' },
    };
    expect(renderBotReply({ card: { ...approval, buttons: [] } }, click)).toMatchObject({
      response_type: 'update_template_card',
      userids: ['zhangsan'],
      template_card: { card_type: 'button_interaction', task_id: 'leave-Q1' },
    });
    expect((renderBotReply({ replaceButton: '已同意' }, click)!.stream as { content: string }).content).toBe('已同意');
  });

  it('nothing to say is null', () => {
    expect(renderBotReply({}, botText)).toBeNull();
  });
});
