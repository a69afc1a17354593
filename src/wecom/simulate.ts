/**
 * Doing exactly what WeCom does on its side of a callback: build the signed, encrypted request from plain
 * fields, and open the passive reply we send back. Used by tests and the in-browser sandbox, so that both go
 * through the real edge (crypto, envelope, parsing) instead of around it.
 */
import { CallbackError, type WecomCrypto } from './crypto.js';
import { cdata, parseJsonObject, readXml, xmlRequired, type XmlObject } from './envelope.js';

export interface SimulateOptions {
  timestamp: string | number;
  nonce: string;
  /** 16 bytes of "random" prefix, for reproducible ciphertext; fresh random bytes when absent. */
  random?: Buffer;
}

export interface CallbackQuery {
  msg_signature: string;
  timestamp: string;
  nonce: string;
}

export interface SimulatedCallback {
  query: CallbackQuery;
  body: string;
}

/** The query as WeCom puts it on the URL: every value percent-encoded (`+ / =` as `%2B %2F %3D`). */
export function toQueryString<Q extends { [K in keyof Q]: string }>(query: Q): string {
  return Object.entries<string>(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** The plaintext message XML WeCom builds: strings in CDATA, numbers bare (as in [D:90239]). */
export function appMessageXml(fields: Record<string, string | number>): string {
  const inner = Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === 'number' ? String(v) : cdata(v)}</${k}>`)
    .join('');
  return `<xml>${inner}</xml>`;
}

function seal(
  crypto: WecomCrypto,
  plaintext: string,
  opts: SimulateOptions,
): { query: CallbackQuery; encrypt: string } {
  const timestamp = String(opts.timestamp);
  const { encrypt, signature } = crypto.encryptReply(plaintext, timestamp, opts.nonce, opts.random);
  return { query: { msg_signature: signature, timestamp, nonce: opts.nonce }, encrypt };
}

/**
 * A self-built-app POST callback: the message XML built from `fields` (FromUserName, CreateTime, MsgType, …),
 * encrypted with the crypto's receive-id (the CorpID) and wrapped in the `<xml><ToUserName/><Encrypt/>
 * <AgentID/></xml>` envelope.
 */
export function buildAppCallback(
  crypto: WecomCrypto,
  fields: Record<string, string | number>,
  opts: SimulateOptions,
): SimulatedCallback {
  const { query, encrypt } = seal(crypto, appMessageXml(fields), opts);
  const agent = fields.AgentID !== undefined ? `<AgentID>${cdata(String(fields.AgentID))}</AgentID>` : '';
  return {
    query,
    body: `<xml><ToUserName>${cdata(crypto.receiveId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt>${agent}</xml>`,
  };
}

/** A smart-robot POST callback: the JSON encrypted with receive-id "" and wrapped as `{"encrypt": …}`. */
export function buildBotCallback(
  crypto: WecomCrypto,
  json: Record<string, unknown>,
  opts: SimulateOptions,
): SimulatedCallback {
  const { query, encrypt } = seal(crypto, JSON.stringify(json), opts);
  return { query, body: JSON.stringify({ encrypt }) };
}

/** The GET query of URL verification: `echo` encrypted as `echostr` and signed. */
export function buildVerifyQuery(
  crypto: WecomCrypto,
  echo: string,
  opts: SimulateOptions,
): CallbackQuery & { echostr: string } {
  const { query, encrypt } = seal(crypto, echo, opts);
  return { ...query, echostr: encrypt };
}

export interface OpenedAppReply {
  plaintext: string;
  /** Children of the reply's `<xml>`: ToUserName, FromUserName, CreateTime, MsgType, Content or Button. */
  fields: XmlObject;
  timestamp: string;
  nonce: string;
}

/** Open an app passive reply as WeCom would: check the signature, decrypt, parse the plaintext XML. */
export function openAppReply(crypto: WecomCrypto, xmlBody: string): OpenedAppReply {
  const env = readXml(xmlBody);
  const timestamp = xmlRequired(env, 'TimeStamp');
  const nonce = xmlRequired(env, 'Nonce');
  const plaintext = crypto.decryptMessage(
    xmlRequired(env, 'MsgSignature'),
    timestamp,
    nonce,
    xmlRequired(env, 'Encrypt'),
  );
  return { plaintext, fields: readXml(plaintext), timestamp, nonce };
}

export interface OpenedBotReply {
  plaintext: string;
  json: Record<string, unknown>;
  timestamp: number;
  nonce: string;
}

/** Open a smart-robot passive reply: `{encrypt, msgsignature, timestamp (number), nonce}`, checked and decrypted. */
export function openBotReply(crypto: WecomCrypto, jsonBody: string): OpenedBotReply {
  const env = parseJsonObject(jsonBody);
  const { encrypt, msgsignature, timestamp, nonce } = env;
  if (
    typeof encrypt !== 'string' ||
    typeof msgsignature !== 'string' ||
    typeof nonce !== 'string' ||
    typeof timestamp !== 'number'
  ) {
    throw new CallbackError('malformed', 'reply envelope lacks encrypt, msgsignature, timestamp (number) or nonce');
  }
  const plaintext = crypto.decryptMessage(msgsignature, String(timestamp), nonce, encrypt);
  return { plaintext, json: parseJsonObject(plaintext), timestamp, nonce };
}
