/** Sentences asking a cadre to fix a leave request the bot could not read completely. */
import { dayLabel, spanLabel } from '../src/kit/date-label.js';

/** `2026-11-27` → `11月27日` (the one date style); the year is shown only when it is not the year of `near`. */
export function shortDate(date: string, near?: string): string {
  return dayLabel(date, near);
}

const DATES_HINT = '请同时写明日期，如「明天」「11月25日至27日」「下周一到周三」「明天起三天」。';

/**
 * No leave type in the message: a question the next message can answer (`事假 明天`), asking for the days too
 * when they are missing as well.
 */
export function noType(types: string[], datesMissing: boolean): string {
  const choices = `可选：${types.join('、')}。`;
  return datesMissing
    ? `请问请什么假、哪几天？${choices}直接回复即可，例如「事假 明天」「病假 11月25日至27日」。`
    : `请问请什么假？${choices}直接回复假别即可，例如「事假」。`;
}

/** A word in the type's place that is not one of the policy's leave types. */
export function unknownType(word: string, types: string[], datesMissing: boolean): string {
  const lines = [`「${word}」不是规定的请假类型，可选：${types.join('、')}。请改用其中一种重新发送。`];
  if (datesMissing) lines.push(DATES_HINT);
  return lines.join('\n');
}

/** No date in the message. */
export const noDates = '请问哪几天？直接回复日期即可，如「明天」「11月25日至27日」「下周一到周三」「明天起三天」。';

/** The end date written comes before the start date. */
export function endBeforeStart(start: string, end: string): string {
  return `结束日期${shortDate(end, start)}早于开始日期${shortDate(start)}，请核对后重新发送。`;
}

/**
 * Date words that could not be read whole (`“周四周六”`, `“月底”`): ask which days, with an example span in the
 * one date style (`example` is two consecutive `YYYY-MM-DD` days).
 */
export function dateDoubt(words: string, example: [string, string]): string {
  return `“${words}”是指哪几天？请写明请假的起止日期，如 ${spanLabel(example[0], example[1])}。`;
}

/** Half a day asked for without saying which half. */
export const halfDayWhich = '请假半天是上午还是下午？请回复“上午”或“下午”。';
