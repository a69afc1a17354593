/** An approved one-step 事假 as stored, for tests that need leave on the books without walking the approval. */
import type { LeaveRequest } from '../../src/leave/workflow.js';

export function approvedLeave(
  no: string,
  userId: string,
  start: string,
  end: string,
  extra: Partial<LeaveRequest> = {},
): LeaveRequest {
  return {
    no,
    userId,
    type: '事假',
    class: 'absent',
    start,
    end,
    days: 1,
    reason: '家中有事',
    createdAt: '2026-11-10T10:00:00.000Z',
    status: 'approved',
    steps: [{ kind: 'township', approvers: ['LiZhenHua'], decision: 'approved', by: 'LiZhenHua' }],
    ...extra,
  };
}
