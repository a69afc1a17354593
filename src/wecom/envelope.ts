/**
 * The outer layer of a callback and of a passive reply [D:90238][D:101033]: the self-built app wraps the
 * ciphertext in `<xml><ToUserName/><AgentID/><Encrypt/></xml>`, the smart robot in `{"encrypt": …}`. Also the
 * one safe XML reader used for every WeCom XML: no DOCTYPE, no entity expansion, every value kept as a string
 * (MsgId is a 64-bit integer and would lose digits as a number).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CallbackError } from './crypto.js';
import { readFlatXml, type XmlObject, type XmlValue } from './flat-xml.js';

export type { XmlObject, XmlValue } from './flat-xml.js';

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: false,
  // CDATA kept apart so that only real text gets its character references decoded.
  cdataPropName: '#cdata',
});

const CDATA_SECTION = /<!\[CDATA\[[\s\S]*?\]\]>/g;
const DECLARATION = /<!(DOCTYPE|ENTITY)/i;

/**
 * Parse WeCom XML and return the children of the `<xml>` root, each a string, a nested object or (for a
 * repeated tag) an array. The usual flat shape is read by `readFlatXml`, anything else by the general parser. A DOCTYPE or entity declaration is refused outright: WeCom never sends one, and
 * refusing is safer than trusting any parser's expansion limits. Only the five predefined entities and numeric
 * character references in plain text are decoded.
 */
export function readXml(text: string): XmlObject {
  return readFlatXml(text) ?? readXmlFully(text);
}

/** `readXml` with the general parser alone (the judge of anything the flat reader does not take). */
export function readXmlFully(text: string): XmlObject {
  // The CDATA sections are cut out only when a declaration shows up at all (never, from WeCom).
  if (DECLARATION.test(text) && DECLARATION.test(text.replace(CDATA_SECTION, ''))) {
    throw new CallbackError('malformed', 'XML with a DOCTYPE or entity declaration is not accepted');
  }
  if (XMLValidator.validate(text) !== true) throw new CallbackError('malformed', 'body is not well-formed XML');
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new CallbackError('malformed', 'body is not usable XML', { cause: (err as Error).message });
  }
  const root = normalise(parsed.xml as XmlValue | undefined);
  if (root === '') return {};
  if (root === undefined || typeof root !== 'object' || Array.isArray(root)) {
    throw new CallbackError('malformed', 'root element <xml> missing');
  }
  return root;
}

function normalise(value: XmlValue | undefined): XmlValue | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return decodeText(value);
  if (Array.isArray(value)) return value.map((v) => normalise(v) ?? '');
  const names = Object.keys(value);
  const cdata = value['#cdata'];
  if (names.every((n) => n === '#cdata' || n === '#text')) {
    const text = typeof value['#text'] === 'string' ? decodeText(value['#text']) : '';
    const raw = Array.isArray(cdata) ? cdata.join('') : typeof cdata === 'string' ? cdata : '';
    return text.trim() === '' ? raw : text + raw;
  }
  const out: XmlObject = {};
  for (const name of names) {
    if (name === '#text' || name === '#cdata') continue;
    out[name] = normalise(value[name])!;
  }
  return out;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref]!;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/** A leaf's text; undefined when absent. A nested or repeated tag where text belongs is malformed. */
export function xmlText(obj: XmlObject, name: string): string | undefined {
  const v = obj[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw new CallbackError('malformed', `<${name}> is not a single text value`, { field: name });
  return v;
}

/** A leaf's text that must be present and non-empty. */
export function xmlRequired(obj: XmlObject, name: string): string {
  const v = xmlText(obj, name);
  if (v === undefined || v === '') throw new CallbackError('missing_field', `<${name}> is missing`, { field: name });
  return v;
}

/** Wrap text in CDATA, splitting any "]]>" inside it so the section cannot be closed early. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export interface AppEnvelope {
  /** CorpID the callback was addressed to. */
  toUserName?: string;
  agentId?: string;
  encrypt: string;
}

/** The self-built app's POST body: `<xml><ToUserName/><AgentID/><Encrypt/></xml>` [D:90238]. */
export function parseAppEnvelope(body: string): AppEnvelope {
  const xml = readXml(body);
  return {
    toUserName: xmlText(xml, 'ToUserName'),
    agentId: xmlText(xml, 'AgentID'),
    encrypt: xmlRequired(xml, 'Encrypt'),
  };
}

/** The smart robot's POST body: `{"encrypt": "…"}` [D:101033]. */
export function parseBotEnvelope(body: string): { encrypt: string } {
  const json = parseJsonObject(body);
  if (typeof json.encrypt !== 'string' || json.encrypt === '') {
    throw new CallbackError('missing_field', 'encrypt is missing', { field: 'encrypt' });
  }
  return { encrypt: json.encrypt };
}

/** Parse JSON that must be an object; anything else is malformed. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CallbackError('malformed', 'body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CallbackError('malformed', 'JSON body is not an object');
  }
  return value as Record<string, unknown>;
}

/** An encrypted, signed passive reply, ready to wrap. */
export interface SealedReply {
  encrypt: string;
  signature: string;
  timestamp: number;
  nonce: string;
}

/** The self-built app's passive-reply envelope (tag `TimeStamp` with a capital S) [D:90238]. */
export function appReplyEnvelope(r: SealedReply): string {
  return (
    `<xml><Encrypt>${cdata(r.encrypt)}</Encrypt><MsgSignature>${cdata(r.signature)}</MsgSignature>` +
    `<TimeStamp>${r.timestamp}</TimeStamp><Nonce>${cdata(r.nonce)}</Nonce></xml>`
  );
}

/** The smart robot's passive-reply envelope; `nonce` must be the callback's own [D:101033]. */
export function botReplyEnvelope(r: SealedReply): string {
  return JSON.stringify({ encrypt: r.encrypt, msgsignature: r.signature, timestamp: r.timestamp, nonce: r.nonce });
}
