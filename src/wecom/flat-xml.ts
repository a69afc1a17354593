/**
 * The quick read of WeCom's usual XML: `<xml>` holding leaves only, each once, each either plain text or a single
 * CDATA section (the callback envelope and every ordinary message and event). It accepts nothing else: on
 * anything outside that shape (a declaration, attributes, a nested or repeated element, an entity, a comment,
 * a self-closing tag, text around a CDATA section, a carriage return) it answers `undefined` and the caller reads the text with the
 * full parser (`readXml`), which stays the judge of what is well-formed. Where it answers, the answer equals the
 * full parser's (test/wecom/flat-xml.test.ts compares them). It exists because validating and parsing with the
 * general parser was a sixth of a callback's CPU time.
 */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

const OPEN_ROOT = '<xml>';
const CLOSE_ROOT = '</xml>';
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';
/**
 * Where the element name starting at `from` ends (at its `>`), or -1 when it is not a plain name
 * (`[A-Za-z_][A-Za-z0-9_.-]*`, nothing else before the `>`): read character by character, a pattern per element
 * showed in a callback's profile.
 */
function nameEndAt(text: string, from: number): number {
  let at = from;
  for (; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x3e /* > */) return at > from ? at : -1;
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f; /* A-Z a-z _ */
    const more = (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d; /* 0-9 . - */
    if (!letter && !(more && at > from)) return -1;
  }
  return -1;
}
/** Names that would touch an object's prototype: left to the full parser. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** The children of `<xml>` when the text has the flat shape, else undefined. */
export function readFlatXml(text: string): XmlObject | undefined {
  // XML turns CR LF into LF everywhere, CDATA included: such text is left to the full parser.
  if (text.includes('\r')) return undefined;
  let at = skipSpace(text, 0);
  if (!text.startsWith(OPEN_ROOT, at)) return undefined;
  at += OPEN_ROOT.length;
  const out: XmlObject = {};
  for (;;) {
    at = skipSpace(text, at);
    if (text.startsWith(CLOSE_ROOT, at)) break;
    if (text.charCodeAt(at) !== 0x3c /* < */) return undefined;
    const nameEnd = nameEndAt(text, at + 1);
    if (nameEnd < 0) return undefined;
    const name = text.slice(at + 1, nameEnd);
    if (RESERVED.has(name) || Object.hasOwn(out, name)) return undefined;
    at = nameEnd + 1;
    let value: string;
    if (text.startsWith(CDATA_OPEN, at)) {
      const end = text.indexOf(CDATA_CLOSE, at + CDATA_OPEN.length);
      if (end < 0) return undefined;
      value = text.slice(at + CDATA_OPEN.length, end);
      at = end + CDATA_CLOSE.length;
    } else {
      const end = text.indexOf('<', at);
      if (end < 0) return undefined;
      value = text.slice(at, end);
      // Entities, and text where a second '<' would start markup, are the full parser's business.
      if (value.includes('&') || value.includes(']]>')) return undefined;
      at = end;
    }
    // `</name>`, compared in place.
    if (text.charCodeAt(at) !== 0x3c || text.charCodeAt(at + 1) !== 0x2f /* / */) return undefined;
    if (!text.startsWith(name, at + 2) || text.charCodeAt(at + 2 + name.length) !== 0x3e /* > */) return undefined;
    at += name.length + 3;
    out[name] = value;
  }
  at = skipSpace(text, at + CLOSE_ROOT.length);
  return at === text.length ? out : undefined;
}
