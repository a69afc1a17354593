/** Leave rules of the policy: which type a word names, and who approves a leave of a given length. */
import type { Role } from '../kit/roles.js';
import type { LeaveClass, Policy } from './schema.js';

/** A leave type as the policy defines it, under its canonical name. */
export interface LeaveTypeInfo {
  name: string;
  class: LeaveClass;
  maxDays: number;
  aliases: string[];
}

/**
 * The leave type a word names: its canonical name or one of its aliases (因公外出 → 公差), ignoring
 * surrounding spaces. Undefined for a word the policy does not know; the caller decides whether to refuse it
 * or treat it as 事假-like.
 */
export function leaveType(policy: Policy, name: string): LeaveTypeInfo | undefined {
  const word = name.trim();
  for (const [canonical, type] of Object.entries(policy.leave.types)) {
    if (canonical === word || type.aliases.includes(word)) {
      return { name: canonical, class: type.class, maxDays: type.maxDays, aliases: [...type.aliases] };
    }
  }
  return undefined;
}

/** Who approves a leave, in order, and who is copied on it. */
export interface ApprovalChain {
  steps: Role[];
  copy: Role[];
}

/**
 * The approval chain of a leave lasting `days` calendar days: the first policy step whose `upToDays` is at
 * least that long (the policy guarantees the last step takes every longer leave).
 */
export function approvalChain(policy: Policy, days: number): ApprovalChain {
  const steps = policy.leave.approval;
  const step = steps.find((s) => s.upToDays === null || days <= s.upToDays) ?? steps[steps.length - 1]!;
  return { steps: [...step.steps], copy: [...policy.leave.copy] };
}
