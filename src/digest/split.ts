/**
 * WeCom limits a markdown message's content: 2048 bytes of UTF-8 for an app message (`message/send`), 4096 for
 * a group robot's, so a large township's digest goes out as several messages. Splitting happens between lines, never inside one: a
 * line is a person or a figure, and half of it would be misread.
 */

/** WeCom's limit on a group robot's markdown `content`, in bytes of UTF-8 (the default here). */
export const MARKDOWN_MAX_BYTES = 4096;

/** WeCom's limit on an app message's markdown `content` (`message/send`), in bytes of UTF-8. */
export const APP_MARKDOWN_MAX_BYTES = 2048;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cut one line that alone exceeds the limit at character boundaries; only a malformed line gets here. */
function cutLine(line: string, maxBytes: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (cur && bytes(cur) + bytes(ch) > maxBytes) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

export interface SplitOptions {
  maxBytes?: number;
  /** The first line of each message after the first (e.g. the title with "续 2"); `part` counts from 2. */
  continued?: (part: number) => string;
}

/**
 * Split markdown into messages of at most `maxBytes` each, breaking only between lines; each message after the
 * first starts with the line `continued(part)`, and none starts or ends with a blank line. A text within the
 * limit comes back as it is. A single line longer than a whole message (no template writes one) is the only
 * thing ever cut inside a line.
 */
export function splitMarkdown(content: string, opts: SplitOptions = {}): string[] {
  const max = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  if (bytes(content) <= max) return [content];
  const header = (part: number) => (opts.continued ? [opts.continued(part)] : []);
  const parts: string[] = [];
  let cur: string[] = [];
  let headLines = 0;
  let size = 0;
  const begin = () => {
    cur = parts.length ? header(parts.length + 1) : [];
    headLines = cur.length;
    size = cur.length ? bytes(cur[0]!) : 0;
  };
  const finish = () => {
    while (cur.length > headLines && cur.at(-1) === '') cur.pop();
    if (cur.length > headLines) parts.push(cur.join('\n'));
  };
  begin();
  for (const line of content.split('\n')) {
    const room = max - header(parts.length + 2).reduce((n, h) => n + bytes(h) + 1, 0);
    for (const piece of bytes(line) > room ? cutLine(line, room) : [line]) {
      const added = bytes(piece) + (cur.length ? 1 : 0);
      if (cur.length > headLines && size + added > max) {
        finish();
        begin();
      }
      if (piece === '' && cur.length === headLines) continue;
      size += bytes(piece) + (cur.length ? 1 : 0);
      cur.push(piece);
    }
  }
  finish();
  return parts;
}
