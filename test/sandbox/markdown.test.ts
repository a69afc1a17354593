/** The sandbox's WeCom markdown renderer: the documented subset as HTML, and nothing else but escaped text. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderInline, renderMarkdown } from '../../src/sandbox/markdown.js';

describe('WeCom markdown', () => {
  it('renders headers, bold, quotes, inline code and line breaks', () => {
    expect(renderMarkdown('## 新田乡 · 11月24日\n**今日签到** 10/11 人\n> 北堡村 `4人`')).toBe(
      '<h2>新田乡 · 11月24日</h2><p><strong>今日签到</strong> 10/11 人</p><blockquote>北堡村 <code>4人</code></blockquote>',
    );
    expect(renderMarkdown('第一行\n第二行\n\n新段落')).toBe('<p>第一行<br>第二行</p><p>新段落</p>');
  });

  it('renders the three font colours and ignores others and stray closing tags', () => {
    expect(
      renderInline(
        '<font color="info">在村</font> <font color="warning">未签到</font> <font color="comment">注</font>',
      ),
    ).toBe(
      '<span class="md-info">在村</span> <span class="md-warning">未签到</span> <span class="md-comment">注</span>',
    );
    expect(renderInline('<font color="red">x</font></font>')).toBe('x');
    expect(renderInline('<font color="info">open')).toBe('<span class="md-info">open</span>');
  });

  it('keeps links to the web and this server, and turns any other scheme into text', () => {
    expect(renderInline('[签到页](http://127.0.0.1:3000/checkin?a=1&b=2)')).toBe(
      '<a href="http://127.0.0.1:3000/checkin?a=1&amp;b=2" target="_blank" rel="noopener">签到页</a>',
    );
    expect(renderInline('[看](/sandbox)')).toContain('href="/sandbox"');
    expect(renderInline('[点我](javascript:alert(1))')).toBe('点我)');
  });

  it('renders lists, tables and code blocks of markdown_v2', () => {
    expect(renderMarkdown('- 北堡村 4/4\n- 牛村 3/4')).toBe('<ul><li>北堡村 4/4</li><li>牛村 3/4</li></ul>');
    expect(renderMarkdown('1. 一\n2. 二')).toBe('<ol><li>一</li><li>二</li></ol>');
    expect(renderMarkdown('| 村 | 在村 |\n|---|---|\n| 北堡村 | **4** |')).toBe(
      '<table><thead><tr><th>村</th><th>在村</th></tr></thead><tbody><tr><td>北堡村</td><td><strong>4</strong></td></tr></tbody></table>',
    );
    expect(renderMarkdown('```\n<b>原样</b>\n```')).toBe('<pre>&lt;b&gt;原样&lt;/b&gt;</pre>');
  });

  it('escapes every other markup, in text, bold, links and mentions', () => {
    expect(renderMarkdown('<script>alert("x")</script>')).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
    expect(renderInline('**<img src=x onerror=1>**')).toBe('<strong>&lt;img src=x onerror=1&gt;</strong>');
    expect(renderInline('[<b>x</b>](https://a.example/"onmouseover="1)')).toBe(
      '<a href="https://a.example/&quot;onmouseover=&quot;1" target="_blank" rel="noopener">&lt;b&gt;x&lt;/b&gt;</a>',
    );
    expect(renderInline('请 <@LiZhenHua> 审批')).toBe('请 <span class="md-at">@LiZhenHua</span> 审批');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
