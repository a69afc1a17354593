import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { encrypt as libraryEncrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { CallbackError, unpad, WecomCrypto } from '../../src/wecom/crypto.js';

interface Vector {
  token: string;
  encodingAESKey: string;
  receiveId: string;
  verifyUrl: { msg_signature: string; timestamp: string; nonce: string; echostr: string; expect: string };
  post: { msg_signature: string; timestamp: string; nonce: string; encrypt: string; expectPlaintext: string };
}
const vectors = (JSON.parse(readFileSync('test/fixtures/wecom-official.json', 'utf8')) as { vectors: Vector[] })
  .vectors;
const [V1, V2] = vectors as [Vector, Vector];

const cryptoFor = (v: Vector, extra: { receiveId?: string; toleranceS?: number; now?: string } = {}) =>
  new WecomCrypto({
    token: v.token,
    encodingAESKey: v.encodingAESKey,
    receiveId: extra.receiveId ?? v.receiveId,
    toleranceS: extra.toleranceS ?? 0,
    clock: fixedClock(extra.now ?? '2026-11-18T09:00:00+08:00'),
  });

/** The error a call throws, asserted to be a CallbackError. */
function refusal(fn: () => unknown): CallbackError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CallbackError);
    return err as CallbackError;
  }
  throw new Error('expected a CallbackError, nothing was thrown');
}

/** Encrypt an arbitrary plaintext buffer (already padded or deliberately mis-padded) the way WeCom would. */
function rawEncrypt(v: Vector, plain: Buffer): string {
  const key = Buffer.from(`${v.encodingAESKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** random ‖ msg_len ‖ msg ‖ receiveid, unpadded. */
function layout(msg: string, receiveId: string, declaredLen?: number): Buffer {
  const m = Buffer.from(msg, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(declaredLen ?? m.length);
  return Buffer.concat([Buffer.from('0123456789abcdef'), len, m, Buffer.from(receiveId, 'utf8')]);
}

function pkcs7(buf: Buffer): Buffer {
  const pad = 32 - (buf.length % 32);
  return Buffer.concat([buf, Buffer.alloc(pad, pad)]);
}

/** Decrypt a crafted ciphertext through the full checked path, signed correctly. */
function openCrafted(v: Vector, plain: Buffer) {
  const c = cryptoFor(v);
  const encrypt = rawEncrypt(v, plain);
  return () => c.decryptMessage(c.sign('1409659813', '1372623149', encrypt), '1409659813', '1372623149', encrypt);
}

describe('official vectors', () => {
  for (const [name, v] of [
    ['V1', V1],
    ['V2', V2],
  ] as const) {
    it(`${name}: URL verification returns the echo plaintext`, () => {
      expect(cryptoFor(v).verifyUrl(v.verifyUrl)).toBe(v.verifyUrl.expect);
    });

    it(`${name}: the POST signature verifies and the message decrypts exactly`, () => {
      const c = cryptoFor(v);
      const { msg_signature, timestamp, nonce, encrypt } = v.post;
      expect(c.sign(timestamp, nonce, encrypt)).toBe(msg_signature);
      expect(c.decryptMessage(msg_signature, timestamp, nonce, encrypt)).toBe(v.post.expectPlaintext);
    });
  }

  it('V6 (derived, robot receive-id ""): a fixed-random reply encrypts and signs to the recorded values', () => {
    const c = new WecomCrypto({ token: V1.token, encodingAESKey: V1.encodingAESKey, receiveId: '' });
    const reply = '{"msgtype":"stream","stream":{"id":"s1","finish":true,"content":"ok"}}';
    const sealed = c.encryptReply(reply, 1409659813, '1372623149', Buffer.from('1234567890123456'));
    expect(sealed.encrypt).toBe(
      'y514aRT8yYkYNee3kPvkrGPsRK1OLo+nXecc2fe31rWcvzutfQzXe+4aqTAVVDgwxOCbAxAbpR49lAWms6kDu28nsrWe+yPh+bax1CS4Lo30xZJbQTnP4iVHSjpq+vUE',
    );
    expect(sealed.signature).toBe('674724691958edcde623dd8d7eaffc5104667187');
  });
});

describe('round trips', () => {
  it('random messages of every padding length survive encrypt → decrypt, for the app and the robot', () => {
    for (const receiveId of ['wx5823bf96d3bd56c7', '']) {
      const c = cryptoFor(V1, { receiveId });
      for (let n = 0; n < 80; n++) {
        const msg = randomBytes(n).toString('base64').slice(0, n) + '驻村'.repeat(n % 3);
        const { encrypt, signature } = c.encryptReply(msg, 1700000000 + n, `nonce${n}`);
        expect(c.decryptMessage(signature, String(1700000000 + n), `nonce${n}`, encrypt)).toBe(msg);
      }
    }
  });

  it('a reply is the same bytes and signature as @wecom/crypto gives, at every padding length', () => {
    for (const receiveId of ['wx5823bf96d3bd56c7', '']) {
      const c = cryptoFor(V1, { receiveId });
      for (let n = 0; n < 80; n++) {
        const msg = 'a'.repeat(n) + '驻村'.repeat(n % 3);
        const random = randomBytes(16);
        const { encrypt, signature } = c.encryptReply(msg, 1700000000 + n, `nonce${n}`, random);
        expect(encrypt).toBe(libraryEncrypt(V1.encodingAESKey, msg, receiveId, random));
        expect(signature).toBe(getSignature(V1.token, String(1700000000 + n), `nonce${n}`, encrypt));
      }
    }
  });

  it('every reply starts with fresh random bytes, also past the refill of their pool', () => {
    const c = cryptoFor(V1, { receiveId: 'wx5823bf96d3bd56c7' });
    const prefixes = new Set<string>();
    for (let n = 0; n < 600; n++) {
      const { encrypt } = c.encryptReply('同一句话', 1700000000, 'nonce');
      // The first AES block holds the random prefix alone; with the key's fixed IV it differs only if they do.
      prefixes.add(Buffer.from(encrypt, 'base64').subarray(0, 16).toString('hex'));
    }
    expect(prefixes.size).toBe(600);
  });

  it('a message whose layout fills whole blocks gets a full block of padding (pad value 32)', () => {
    const plain = layout('x'.repeat(12), ''); // 16 + 4 + 12 = 32 bytes
    expect(plain.length % 32).toBe(0);
    const padded = pkcs7(plain);
    expect(padded[padded.length - 1]).toBe(32);
    const c = cryptoFor(V1, { receiveId: '' });
    const encrypt = rawEncrypt(V1, padded);
    expect(c.decryptMessage(c.sign('1', '2', encrypt), '1', '2', encrypt)).toBe('x'.repeat(12));
  });
});

describe('refusals', () => {
  it('a tampered signature is refused with 401', () => {
    const c = cryptoFor(V1);
    const { msg_signature, timestamp, nonce, encrypt } = V1.post;
    const flipped = (msg_signature[0] === 'a' ? 'b' : 'a') + msg_signature.slice(1);
    const e = refusal(() => c.decryptMessage(flipped, timestamp, nonce, encrypt));
    expect([e.code, e.status]).toEqual(['bad_signature', 401]);
    expect(refusal(() => c.decryptMessage(msg_signature.slice(1), timestamp, nonce, encrypt)).code).toBe(
      'bad_signature',
    );
    expect(refusal(() => c.decryptMessage(msg_signature, timestamp, nonce + '1', encrypt)).code).toBe('bad_signature');
  });

  it('a wrong pad byte in the middle of the padding is refused', () => {
    const padded = pkcs7(layout('hello', V1.receiveId));
    const pad = padded[padded.length - 1]!;
    expect(pad).toBeGreaterThan(4);
    padded[padded.length - Math.floor(pad / 2)] = pad ^ 1;
    expect(refusal(openCrafted(V1, padded)).code).toBe('bad_padding');
  });

  it('pad value 0 and pad value 33 are refused', () => {
    const body = layout('hello', V1.receiveId);
    const zero = Buffer.concat([body, Buffer.alloc(64 - body.length, 0)]);
    expect(refusal(openCrafted(V1, zero)).code).toBe('bad_padding');
    const tooBig = Buffer.concat([layout('hi', ''), Buffer.alloc(33 + (64 - 22 - 33), 33)]);
    expect(tooBig.length % 32).toBe(0);
    expect(refusal(openCrafted(V1, tooBig)).code).toBe('bad_padding');
  });

  it('every pad value outside 1..32 is refused even when all its pad bytes agree; 1..32 open', () => {
    /** The layout with `pad` bytes of value `pad` appended, the message sized so that whole blocks result. */
    const paddedWith = (pad: number, receiveId: string): Buffer => {
      const fill = pad === 0 ? 32 : pad; // pad 0: a whole block of zero bytes
      let n = 1;
      while ((16 + 4 + n + Buffer.byteLength(receiveId) + fill) % 32 !== 0) n++;
      return Buffer.concat([layout('m'.repeat(n), receiveId), Buffer.alloc(fill, pad)]);
    };
    for (const receiveId of [V1.receiveId, '']) {
      const v = { ...V1, receiveId };
      for (let pad = 0; pad <= 255; pad++) {
        const plain = paddedWith(pad, receiveId);
        expect(plain.length % 32).toBe(0);
        if (pad >= 1 && pad <= 32) expect(openCrafted(v, plain)()).toMatch(/^m+$/);
        else expect(refusal(openCrafted(v, plain)).code, `pad ${pad}`).toBe('bad_padding');
      }
    }
  });

  it('unpad checks the value range and every pad byte', () => {
    expect(unpad(Buffer.from([1, 2, 3, 2, 2])).equals(Buffer.from([1, 2, 3]))).toBe(true);
    expect(() => unpad(Buffer.from([1, 3, 2, 3]))).toThrow(CallbackError);
    expect(() => unpad(Buffer.alloc(0))).toThrow(CallbackError);
    expect(() => unpad(Buffer.from([5, 5]))).toThrow(CallbackError);
  });

  it('a declared msg_len larger than the plaintext is refused', () => {
    const e = refusal(openCrafted(V1, pkcs7(layout('hello', V1.receiveId, 5000))));
    expect([e.code, e.status]).toEqual(['bad_length', 400]);
    expect(refusal(openCrafted(V1, pkcs7(Buffer.from('short')))).code).toBe('bad_length');
  });

  it('a receive-id other than the configured one is refused, including "" against a CorpID', () => {
    const { msg_signature, timestamp, nonce, encrypt } = V1.post;
    expect(
      refusal(() =>
        cryptoFor(V1, { receiveId: 'wx5823bf96d3bd56c8' }).decryptMessage(msg_signature, timestamp, nonce, encrypt),
      ).code,
    ).toBe('bad_receive_id');
    expect(
      refusal(() => cryptoFor(V1, { receiveId: '' }).decryptMessage(msg_signature, timestamp, nonce, encrypt)).code,
    ).toBe('bad_receive_id');
    const robotSealed = cryptoFor(V1, { receiveId: '' }).encryptReply('{}', 1, '2');
    expect(refusal(() => cryptoFor(V1).decryptMessage(robotSealed.signature, '1', '2', robotSealed.encrypt)).code).toBe(
      'bad_receive_id',
    );
  });

  it('a stale timestamp is refused with 401 when a tolerance is set, and accepted within it', () => {
    const now = '2026-11-18T09:00:00+08:00';
    const nowS = Math.floor(new Date(now).getTime() / 1000);
    const c = cryptoFor(V1, { toleranceS: 300, now });
    const at = (ts: number) => {
      const { encrypt, signature } = c.encryptReply('<xml/>', ts, 'n');
      return () => c.decryptMessage(signature, String(ts), 'n', encrypt);
    };
    expect(at(nowS - 300)()).toBe('<xml/>');
    expect(at(nowS + 299)()).toBe('<xml/>');
    const e = refusal(at(nowS - 301));
    expect([e.code, e.status]).toEqual(['stale_timestamp', 401]);
    expect(refusal(at(nowS + 301)).code).toBe('stale_timestamp');
    const { msg_signature, timestamp, nonce, encrypt } = V1.post;
    expect(refusal(() => c.decryptMessage(msg_signature, timestamp, nonce, encrypt)).code).toBe('stale_timestamp');
  });

  it('a bad AES key is refused when the crypto is built', () => {
    for (const key of ['short', V1.encodingAESKey + 'A', V1.encodingAESKey.slice(0, 42) + '+', '']) {
      expect(refusal(() => new WecomCrypto({ token: 't', encodingAESKey: key, receiveId: '' })).code).toBe(
        'bad_aes_key',
      );
    }
  });

  it('a ciphertext made with another key never decrypts', () => {
    const other = new WecomCrypto({ token: V1.token, encodingAESKey: V2.encodingAESKey, receiveId: V1.receiveId });
    const { msg_signature, timestamp, nonce, encrypt } = V1.post;
    expect(['bad_padding', 'bad_length', 'bad_receive_id', 'malformed']).toContain(
      refusal(() => other.decryptMessage(msg_signature, timestamp, nonce, encrypt)).code,
    );
  });

  it('a ciphertext that is not base64 or not whole AES blocks is refused', () => {
    const c = cryptoFor(V1);
    const e = V1.post.encrypt;
    const urlSafe = e.replace(/\+/g, '-').replace(/\//g, '_');
    expect(urlSafe).not.toBe(e);
    // The URL-safe alphabet, spaces and line breaks (refused before the decoding), and missing padding (which Node's
    // decoder would take).
    const damaged = [
      urlSafe,
      `${e.slice(0, 40)} ${e.slice(40)}`,
      `${e.slice(0, 40)}\n${e.slice(40)}`,
      e.replace(/=+$/, ''),
    ];
    for (const encrypt of ['not base64!', 'AAAA', e.slice(0, -4), ...damaged]) {
      expect(refusal(() => c.decryptMessage(c.sign('1', '2', encrypt), '1', '2', encrypt)).code).toBe('bad_ciphertext');
    }
  });

  it('a ciphertext with padding bits that are not zero is refused, though Node decodes it to the same bytes', () => {
    const c = cryptoFor(V1);
    const ABC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (const msg of ['x', 'xy', 'xyz']) {
      const { encrypt } = c.encryptReply(msg, 1, '2');
      const padded = encrypt.indexOf('=');
      if (padded < 0) continue;
      // The last character before the padding carries bits that no byte uses: set the lowest one.
      const last = ABC.indexOf(encrypt[padded - 1]!);
      const forged = encrypt.slice(0, padded - 1) + ABC[last ^ 1] + encrypt.slice(padded);
      expect(Buffer.from(forged, 'base64').equals(Buffer.from(encrypt, 'base64'))).toBe(true);
      expect(refusal(() => c.decryptMessage(c.sign('1', '2', forged), '1', '2', forged)).code).toBe('bad_ciphertext');
      expect(c.decryptMessage(c.sign('1', '2', encrypt), '1', '2', encrypt)).toBe(msg);
    }
  });

  it('missing verification fields and a non-numeric timestamp are refused', () => {
    const c = cryptoFor(V1);
    expect(refusal(() => c.verifyUrl({ ...V1.verifyUrl, echostr: undefined })).code).toBe('missing_field');
    expect(refusal(() => c.verifyUrl({ ...V1.verifyUrl, msg_signature: '' })).code).toBe('missing_field');
    const { encrypt, signature } = c.encryptReply('x', 'abc', 'n');
    expect(refusal(() => c.decryptMessage(signature, 'abc', 'n', encrypt)).code).toBe('bad_timestamp');
  });

  it('a plaintext that is not UTF-8 is refused as malformed', () => {
    const bad = Buffer.from([0xff, 0xfe, 0x41]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bad.length);
    const plain = pkcs7(Buffer.concat([Buffer.alloc(16, 1), len, bad, Buffer.from(V1.receiveId)]));
    expect(refusal(openCrafted(V1, plain)).code).toBe('malformed');
  });
});
