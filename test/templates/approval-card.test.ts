import { describe, expect, it } from 'vitest';
import { approvalCard, type ApprovalRequest } from '../../templates/approval-card.js';

const request: ApprovalRequest = {
  taskId: 'thing-T7-0',
  title: '某事审批 T7',
  description: '请审批。',
  fields: [{ key: '日期', value: '2026-11-19' }],
  approveLabel: '准许',
  keys: { approve: 'thing-approve:T7', reject: 'thing-reject:T7' },
};

describe('approvalCard', () => {
  it('is a button card: the request as written, a blue yes button and a red 驳回 button with their keys', () => {
    expect(approvalCard(request)).toEqual({
      kind: 'button_interaction',
      taskId: 'thing-T7-0',
      title: '某事审批 T7',
      description: '请审批。',
      fields: [{ key: '日期', value: '2026-11-19' }],
      buttons: [
        { text: '准许', style: 1, key: 'thing-approve:T7' },
        { text: '驳回', style: 3, key: 'thing-reject:T7' },
      ],
    });
  });
});
