/**
 * WeCom callback crypto [D:91144][D:90238][D:101033], as small checked steps: signature → timestamp → cipher →
 * padding → length → receive-id. The same algorithm serves the self-built app (receive-id = CorpID) and the
 * smart robot (receive-id = ""). Stricter than the official libraries and `@wecom/crypto`: the signature is
 * compared in constant time, every PKCS#7 pad byte is checked, the declared length must fit, the decrypted
 * receive-id must match exactly, and stale timestamps are refused.
 */
import { createCipheriv, createDecipheriv, randomFillSync, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import { sha1Hex } from '../kit/sha1.js';

export type CallbackErrorCode =
  | 'bad_signature'
  | 'stale_timestamp'
  | 'bad_timestamp'
  | 'bad_ciphertext'
  | 'bad_padding'
  | 'bad_length'
  | 'bad_receive_id'
  | 'bad_aes_key'
  | 'malformed'
  | 'missing_field'
  | 'too_large'
  | 'body_timeout'
  | 'bad_body';

/** 401 for authentication failures (WeCom did not sign this, or not now), 413/408 for a body too big or too slow, 400 for anything else refused. */
const STATUS: Partial<Record<CallbackErrorCode, number>> = {
  bad_signature: 401,
  stale_timestamp: 401,
  too_large: 413,
  body_timeout: 408,
};

/** A refused callback: `code` goes to the log, `status` to the HTTP answer; nothing of it reaches the bot. */
export class CallbackError extends Error {
  override name = 'CallbackError';
  readonly status: number;
  constructor(
    readonly code: CallbackErrorCode,
    message: string,
    readonly detail: Record<string, unknown> = {},
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS[code] ?? 400;
  }
}

export interface CryptoConfig {
  token: string;
  /** The 43-character EncodingAESKey from the admin console. */
  encodingAESKey: string;
  /** CorpID for the self-built app; "" for the internal smart robot. */
  receiveId: string;
  /** Refuse callbacks whose timestamp is further than this from now (seconds); 0 turns the check off. */
  toleranceS?: number;
  clock?: Clock;
}

/** The GET verification query, values already URL-decoded. */
export interface VerifyQuery {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
}

const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const BLOCK = 32;

export class WecomCrypto {
  readonly token: string;
  readonly receiveId: string;
  private readonly key: Buffer;
  private readonly iv: Buffer;
  private readonly receiveIdBytes: Buffer;
  private readonly toleranceS: number;
  private readonly clock: Clock;

  constructor(config: CryptoConfig) {
    this.key = aesKey(config.encodingAESKey);
    this.iv = this.key.subarray(0, 16);
    this.token = config.token;
    this.receiveId = config.receiveId;
    this.receiveIdBytes = Buffer.from(config.receiveId, 'utf8');
    this.toleranceS = config.toleranceS ?? 0;
    this.clock = config.clock ?? systemClock;
  }

  /** Answer WeCom's URL verification: check the signature over `echostr` and return its decrypted plaintext. */
  verifyUrl(query: VerifyQuery): string {
    const signature = required(query.msg_signature, 'msg_signature');
    const timestamp = required(query.timestamp, 'timestamp');
    const nonce = required(query.nonce, 'nonce');
    const echostr = required(query.echostr, 'echostr');
    return this.decryptMessage(signature, timestamp, nonce, echostr);
  }

  /** Check the signature and the timestamp, decrypt `encrypt` and return the message (XML or JSON text). */
  decryptMessage(signature: string, timestamp: string, nonce: string, encrypt: string): string {
    this.checkSignature(signature, timestamp, nonce, encrypt);
    this.checkFresh(timestamp);
    return this.open(encrypt);
  }

  /** Encrypt a passive reply and sign it; `random` (16 bytes) only for reproducible tests. */
  encryptReply(
    plaintext: string,
    timestamp: string | number,
    nonce: string,
    random?: Buffer,
  ): { encrypt: string; signature: string } {
    const encrypt = this.seal(plaintext, random ?? randomPrefix());
    return { encrypt, signature: this.sign(timestamp, nonce, encrypt) };
  }

  /** `msg_signature` for these values: sha1 over the four values sorted and joined [D:91144]. */
  sign(timestamp: string | number, nonce: string, encrypt: string): string {
    return sha1Hex([this.token, String(timestamp), nonce, encrypt].sort().join(''));
  }

  /**
   * `random ‖ msg_len ‖ msg ‖ receiveid`, padded (PKCS#7 to 32 bytes) and encrypted, as base64. Built in one
   * buffer with the key decoded once: `@wecom/crypto`'s `encrypt` (the same bytes, checked by the tests) decodes
   * the key and joins four buffers on every reply, which showed in a callback's profile.
   */
  private seal(plaintext: string, random: Buffer): string {
    if (random.length !== RANDOM_BYTES) throw new Error(`a reply's random prefix is ${RANDOM_BYTES} bytes`);
    const msgLen = Buffer.byteLength(plaintext, 'utf8');
    const unpadded = RANDOM_BYTES + LENGTH_BYTES + msgLen + this.receiveIdBytes.length;
    const pad = BLOCK - (unpadded % BLOCK);
    const data = Buffer.allocUnsafe(unpadded + pad);
    random.copy(data, 0, 0, RANDOM_BYTES);
    data.writeUInt32BE(msgLen, RANDOM_BYTES);
    data.write(plaintext, RANDOM_BYTES + LENGTH_BYTES, 'utf8');
    this.receiveIdBytes.copy(data, RANDOM_BYTES + LENGTH_BYTES + msgLen);
    data.fill(pad, unpadded);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    const head = cipher.update(data);
    const tail = cipher.final();
    return (tail.length ? Buffer.concat([head, tail]) : head).toString('base64');
  }

  private checkSignature(signature: string, timestamp: string, nonce: string, encrypt: string): void {
    const expected = Buffer.from(this.sign(timestamp, nonce, encrypt), 'utf8');
    const given = Buffer.from(signature.toLowerCase(), 'utf8');
    // timingSafeEqual needs equal lengths; a length difference leaks nothing about the expected value.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new CallbackError('bad_signature', 'signature does not match');
    }
  }

  private checkFresh(timestamp: string): void {
    if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackError('bad_timestamp', 'timestamp is not a number of seconds');
    if (this.toleranceS === 0) return;
    const skew = Math.abs(Math.floor(this.clock.now().getTime() / 1000) - Number(timestamp));
    if (skew > this.toleranceS) {
      throw new CallbackError('stale_timestamp', 'timestamp too far from now', {
        skewS: skew,
        toleranceS: this.toleranceS,
      });
    }
  }

  /** Decrypt and take apart `random ‖ msg_len ‖ msg ‖ receiveid`, refusing anything out of shape. */
  private open(encrypt: string): string {
    const cipherText = Buffer.from(encrypt, 'base64');
    // Node's decoder skips what is not base64 (and takes the URL-safe alphabet too): only a ciphertext that
    // encodes back to the very same text is base64. Cheaper than a pattern over the whole text.
    if (cipherText.toString('base64') !== encrypt)
      throw new CallbackError('bad_ciphertext', 'ciphertext is not base64');
    if (cipherText.length === 0 || cipherText.length % 16 !== 0) {
      throw new CallbackError('bad_ciphertext', 'ciphertext is not whole AES blocks', { bytes: cipherText.length });
    }
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
    decipher.setAutoPadding(false);
    const head = decipher.update(cipherText);
    const tail = decipher.final();
    const padded = tail.length ? Buffer.concat([head, tail]) : head;
    const plain = unpad(padded);
    if (plain.length < RANDOM_BYTES + LENGTH_BYTES)
      throw new CallbackError('bad_length', 'plaintext shorter than its header');
    const msgLen = plain.readUInt32BE(RANDOM_BYTES);
    const msgStart = RANDOM_BYTES + LENGTH_BYTES;
    if (msgLen > plain.length - msgStart) {
      throw new CallbackError('bad_length', 'declared length exceeds the plaintext', {
        msgLen,
        available: plain.length - msgStart,
      });
    }
    const receiveId = plain.subarray(msgStart + msgLen);
    if (!receiveId.equals(this.receiveIdBytes)) {
      throw new CallbackError('bad_receive_id', 'receive-id does not match the configured one', {
        got: receiveId.toString('utf8').slice(0, 64),
      });
    }
    return utf8(plain.subarray(msgStart, msgStart + msgLen));
  }
}

/** AES key = Base64_Decode(EncodingAESKey + "="), 32 bytes [D:91144]; anything else is a configuration error. */
function aesKey(encodingAESKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAESKey)) {
    throw new CallbackError('bad_aes_key', 'EncodingAESKey must be 43 letters and digits');
  }
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (key.length !== 32) throw new CallbackError('bad_aes_key', 'EncodingAESKey does not decode to 32 bytes');
  return key;
}

/** Remove PKCS#7 padding to 32-byte blocks, checking the pad value (1..32) and every pad byte. */
export function unpad(data: Buffer): Buffer {
  const pad = data.length ? data[data.length - 1]! : 0;
  if (pad < 1 || pad > BLOCK || pad > data.length)
    throw new CallbackError('bad_padding', 'pad value out of range', { pad });
  let diff = 0;
  for (let i = data.length - pad; i < data.length; i++) diff |= data[i]! ^ pad;
  if (diff !== 0) throw new CallbackError('bad_padding', 'pad bytes differ');
  return data.subarray(0, data.length - pad);
}

/**
 * A reply's 16 random bytes, cut from a pool filled from the system's CSPRNG 4 KB at a time: one call per 256
 * replies instead of one each, which showed in a callback's profile.
 */
const RANDOM_POOL = Buffer.alloc(4096);
let poolAt = RANDOM_POOL.length;
function randomPrefix(): Buffer {
  if (poolAt + RANDOM_BYTES > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    poolAt = 0;
  }
  // A view, not a copy: `seal` copies it into the reply at once, before the pool is filled again.
  const bytes = RANDOM_POOL.subarray(poolAt, poolAt + RANDOM_BYTES);
  poolAt += RANDOM_BYTES;
  return bytes;
}

/** Stateless between calls (`decode` without `stream`), so one decoder serves every message. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new CallbackError('malformed', 'message is not valid UTF-8');
  }
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw new CallbackError('missing_field', `${field} is missing`, { field });
  return value;
}
