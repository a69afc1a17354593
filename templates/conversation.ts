/** What the bot says around its own questions: dropping one, and offering a plain text as a work report. */
import type { Card } from '../src/kit/card.js';

/** 取消 / 算了 in answer to a question. */
export const questionDropped = '好的，已取消。';

/** The question a plain report (`今天走访了3户，…`) in the app chat gets. */
export const reportAskTitle = '要作为工作汇报提交吗？';

function snippet(raw: string, max: number): string {
  const chars = [...raw.replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** The card that asks whether `text` is a work report, with one button that files it. */
export function reportAskCard(text: string, ids: { taskId: string; buttonKey: string }): Card {
  return {
    kind: 'button_interaction',
    taskId: ids.taskId,
    title: reportAskTitle,
    description: `「${snippet(text, 60)}」\n点「提交汇报」，或回复「是」提交；回复「取消」则不提交。`,
    buttons: [{ text: '提交汇报', style: 1, key: ids.buttonKey }],
  };
}

/** The button after the report was filed. */
export const reportAskDone = '已提交';

/** The answer was neither yes nor no. */
export const reportAskAgain = '要把刚才的内容作为工作汇报提交吗？请回复「是」提交，或回复「取消」。';

/** The answer was no. */
export const reportNotFiled = '好的，没有提交。需要时可发送「汇报 内容」。';

/** A click on the button of a question that was answered, dropped or has lapsed. */
export function reportAskGone(minutes: number): string {
  return `这条内容已处理，或已超过 ${minutes} 分钟未确认，没有提交。如需汇报，请发送「汇报 内容」。`;
}
