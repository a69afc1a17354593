/**
 * WeCom's markdown as HTML for the sandbox page, so that digests read as they would in WeCom. It covers the
 * subset WeCom documents for `markdown` (headers, bold, links, inline code, quotes, `<font color>`) plus what
 * `markdown_v2` adds and our messages use (lists, tables, code blocks). Everything else is escaped text: the
 * input is whatever the bot sent, and the page inserts the result as HTML.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** WeCom's three named colours; a `#rrggbb` value is accepted too since some clients honour it. */
const COLOURS = new Set(['info', 'comment', 'warning']);

/** Links may go to the web or stay on this server; anything else (javascript:, data:) is shown as text. */
function safeHref(url: string): string | undefined {
  return /^(https?:\/\/|\/)/i.test(url) ? escapeHtml(url) : undefined;
}

const INLINE =
  /(`[^`\n]+`)|\[([^\]\n]+)\]\(([^)\s]+)\)|<font\s+color\s*=\s*["']?(#?[\w]+)["']?\s*>|(<\/font>)|\*\*(.+?)\*\*|<@([\w.@-]+)>/g;

/** One line of inline markdown: escaped text with code, links, colours, bold and @mentions. */
export function renderInline(text: string, allowLinks = true): string {
  let out = '';
  let last = 0;
  let open = 0;
  for (const m of text.matchAll(INLINE)) {
    out += escapeHtml(text.slice(last, m.index));
    last = m.index + m[0].length;
    const [, code, linkText, url, colour, close, bold, mention] = m;
    if (code) out += `<code>${escapeHtml(code.slice(1, -1))}</code>`;
    else if (linkText !== undefined) {
      const href = allowLinks ? safeHref(url!) : undefined;
      const inner = renderInline(linkText, false);
      out += href ? `<a href="${href}" target="_blank" rel="noopener">${inner}</a>` : inner;
    } else if (colour) {
      const named = COLOURS.has(colour);
      if (named || /^#[0-9a-f]{3,6}$/i.test(colour)) {
        out += named ? `<span class="md-${colour}">` : `<span style="color:${colour}">`;
        open += 1;
      }
    } else if (close) {
      if (open > 0) {
        out += '</span>';
        open -= 1;
      }
    } else if (bold !== undefined) out += `<strong>${renderInline(bold, allowLinks)}</strong>`;
    else if (mention) out += `<span class="md-at">@${escapeHtml(mention)}</span>`;
  }
  out += escapeHtml(text.slice(last));
  return out + '</span>'.repeat(open);
}

type Block =
  { kind: 'p' | 'quote' | 'ul' | 'ol' | 'table' | 'pre'; lines: string[] } | { kind: 'h'; level: number; text: string };

function kindOf(line: string): Block['kind'] | 'blank' | 'fence' {
  if (!line.trim()) return 'blank';
  if (/^```/.test(line)) return 'fence';
  if (/^#{1,6}\s/.test(line)) return 'h';
  if (/^>\s?/.test(line)) return 'quote';
  if (/^\s*[-*+]\s+/.test(line)) return 'ul';
  if (/^\s*\d+[.)]\s+/.test(line)) return 'ol';
  if (/^\s*\|.*\|\s*$/.test(line)) return 'table';
  return 'p';
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const kind = kindOf(line);
    if (kind === 'blank') continue;
    if (kind === 'fence') {
      const body: string[] = [];
      while (++i < lines.length && !/^```/.test(lines[i]!)) body.push(lines[i]!);
      out.push({ kind: 'pre', lines: body });
      continue;
    }
    if (kind === 'h') {
      const m = /^(#{1,6})\s+(.*)$/.exec(line)!;
      out.push({ kind: 'h', level: m[1]!.length, text: m[2]! });
      continue;
    }
    const prev = out[out.length - 1];
    if (prev && prev.kind === kind && kindOf(lines[i - 1] ?? '') !== 'blank') prev.lines.push(line);
    else out.push({ kind, lines: [line] });
  }
  return out;
}

function table(lines: string[]): string {
  const cells = (l: string) =>
    l
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  const rows = lines.filter((l) => !/^\s*\|[\s:|-]+\|\s*$/.test(l)).map(cells);
  const [head, ...body] = rows;
  const tr = (r: string[], tag: string) => `<tr>${r.map((c) => `<${tag}>${renderInline(c)}</${tag}>`).join('')}</tr>`;
  return `<table>${head ? `<thead>${tr(head, 'th')}</thead>` : ''}<tbody>${body.map((r) => tr(r, 'td')).join('')}</tbody></table>`;
}

/** Render a WeCom markdown message as HTML; every character of the input is escaped unless it is markup. */
export function renderMarkdown(markdown: string): string {
  return blocks(markdown)
    .map((b) => {
      switch (b.kind) {
        case 'h':
          return `<h${b.level}>${renderInline(b.text)}</h${b.level}>`;
        case 'p':
          return `<p>${b.lines.map((l) => renderInline(l)).join('<br>')}</p>`;
        case 'quote':
          return `<blockquote>${b.lines.map((l) => renderInline(l.replace(/^>\s?/, ''))).join('<br>')}</blockquote>`;
        case 'ul':
          return `<ul>${b.lines.map((l) => `<li>${renderInline(l.replace(/^\s*[-*+]\s+/, ''))}</li>`).join('')}</ul>`;
        case 'ol':
          return `<ol>${b.lines.map((l) => `<li>${renderInline(l.replace(/^\s*\d+[.)]\s+/, ''))}</li>`).join('')}</ol>`;
        case 'table':
          return table(b.lines);
        case 'pre':
          return `<pre>${escapeHtml(b.lines.join('\n'))}</pre>`;
      }
    })
    .join('');
}
