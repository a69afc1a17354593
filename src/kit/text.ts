/**
 * Lenient text matching: full-width letters, digits and punctuation become half-width (NFKC), runs of spaces
 * collapse, and an optional leading "/" is dropped, so `／签到`, ` 签到 ` and `/签到` all read `签到`.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, ' ')
    .trim()
    .replace(/^\/\s*/, '');
}

/** Remove a leading "@Name" mention (the smart robot includes "@BotName" in group text). */
export function stripMention(text: string): string {
  return text.replace(/^\s*@\S+\s*/, '');
}
