/**
 * The one approval card: a request someone says yes or no to (a leave step, a back-fill), with a blue yes
 * button and a red 驳回 button. The request's own templates word it; this gives every such card one shape.
 */
import type { Card } from '../src/kit/card.js';

/** What an approval card shows about a request: its own templates write this part. */
export interface ApprovalText {
  title: string;
  description: string;
  fields: { key: string; value: string }[];
  /** The yes button's label (同意 for a leave, 确认 for a back-fill); the other always reads 驳回. */
  approveLabel: string;
}

/** A request waiting on a decision, as its approval card describes it. */
export interface ApprovalRequest extends ApprovalText {
  /** The card's own task id: a button card needs one [D:90236], and a click on it names it. */
  taskId: string;
  /** What each button sends back (`leave-approve:Q1001`), read by the command whose action it names. */
  keys: { approve: string; reject: string };
}

export const rejectLabel = '驳回';

/** The card for `r`, yes button first. */
export function approvalCard(r: ApprovalRequest): Card {
  return {
    kind: 'button_interaction',
    taskId: r.taskId,
    title: r.title,
    description: r.description,
    fields: r.fields,
    buttons: [
      { text: r.approveLabel, style: 1, key: r.keys.approve },
      { text: rejectLabel, style: 3, key: r.keys.reject },
    ],
  };
}
