import { describe, expect, it } from 'vitest';
import { approvalChain, defaultPolicy, leaveType, parsePolicy } from '../../src/policy/policy.js';

describe('leaveType', () => {
  const policy = defaultPolicy();

  it('finds a type by its name with its class and length', () => {
    expect(leaveType(policy, '病假')).toEqual({ name: '病假', class: 'excused', maxDays: 30, aliases: [] });
    expect(leaveType(policy, '事假')?.class).toBe('absent');
    expect(leaveType(policy, '培训')?.class).toBe('present');
    expect(leaveType(policy, '产假')?.maxDays).toBe(158);
  });

  it('finds a type by an alias', () => {
    expect(leaveType(policy, '因公外出')?.name).toBe('公差');
    expect(leaveType(policy, ' 因公外出 ')?.class).toBe('present');
  });

  it('knows nothing of an unknown word', () => {
    expect(leaveType(policy, '年假')).toBeUndefined();
  });

  it('follows the county policy', () => {
    const p = parsePolicy('leave:\n  types:\n    年休假:\n      maxDays: 15\n      aliases: [年假]\n');
    expect(leaveType(p, '年假')).toEqual({ name: '年休假', class: 'absent', maxDays: 15, aliases: ['年假'] });
  });
});

describe('approvalChain', () => {
  const policy = defaultPolicy();

  it('one day: the township alone', () => {
    expect(approvalChain(policy, 1)).toEqual({ steps: ['township'], copy: ['team-leader'] });
  });

  it('two or three days: township then sending unit', () => {
    expect(approvalChain(policy, 2).steps).toEqual(['township', 'sending-unit']);
    expect(approvalChain(policy, 3).steps).toEqual(['township', 'sending-unit']);
  });

  it('more than three days: also the organisation department', () => {
    expect(approvalChain(policy, 4).steps).toEqual(['township', 'sending-unit', 'org']);
    expect(approvalChain(policy, 158).steps).toEqual(['township', 'sending-unit', 'org']);
  });
});
