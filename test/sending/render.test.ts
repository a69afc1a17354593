import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/core/reply.js';
import { renderCard, taskIdFromKey } from '../../src/outbox/render.js';

const ctx = { key: 'approval:Q1024:lisi', fallbackUrl: 'https://bot.example.cn/' };

describe('our Card as WeCom template_card', () => {
  it('renders button_interaction with the fields of [D:90236]', () => {
    const card: Card = {
      kind: 'button_interaction',
      title: '请假审批 Q1024',
      description: '张三 事假 11月19日—11月20日',
      fields: [
        { key: '请假人', value: '张三' },
        { key: '天数', value: '2天' },
      ],
      buttons: [
        { text: '同意', style: 1, key: 'approve:Q1024' },
        { text: '驳回', style: 3, key: 'reject:Q1024' },
      ],
    };
    expect(renderCard(card, ctx)).toEqual({
      card_type: 'button_interaction',
      main_title: { title: '请假审批 Q1024' },
      sub_title_text: '张三 事假 11月19日—11月20日',
      horizontal_content_list: [
        { keyname: '请假人', value: '张三' },
        { keyname: '天数', value: '2天' },
      ],
      task_id: 'approval_Q1024_lisi',
      button_list: [
        { text: '同意', style: 1, key: 'approve:Q1024' },
        { text: '驳回', style: 3, key: 'reject:Q1024' },
      ],
    });
  });

  it('renders text_notice with card_action, falling back to the server link', () => {
    const withUrl = renderCard({ kind: 'text_notice', title: '通知', url: 'https://x.cn/n/5' }, ctx);
    expect(withUrl).toEqual({
      card_type: 'text_notice',
      main_title: { title: '通知' },
      card_action: { type: 1, url: 'https://x.cn/n/5' },
    });
    expect(renderCard({ kind: 'text_notice', title: '通知' }, ctx).card_action).toEqual({
      type: 1,
      url: ctx.fallbackUrl,
    });
  });

  it('keeps a card’s own task_id and folds rows beyond six into the sub-title', () => {
    const fields = Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    const out = renderCard(
      { kind: 'button_interaction', taskId: 'T-1', title: 't', fields, buttons: [{ text: 'ok', key: 'ok' }] },
      ctx,
    );
    expect(out.task_id).toBe('T-1');
    expect(out.horizontal_content_list).toHaveLength(6);
    expect(out.sub_title_text).toBe('k6：v6\nk7：v7');
  });

  it('makes task ids WeCom accepts from any key', () => {
    expect(taskIdFromKey('a b/c:d@e-f_g')).toBe('a_b_c_d@e-f_g');
    const long = taskIdFromKey('x'.repeat(300));
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long).toMatch(/^[0-9A-Za-z_\-@]+$/);
    expect(taskIdFromKey('x'.repeat(300))).toBe(long);
    expect(taskIdFromKey('x'.repeat(301))).not.toBe(long);
  });
});
