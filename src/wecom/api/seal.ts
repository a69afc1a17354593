/**
 * Sealing of the WeCom credentials cached in Redis (access_token, JS-SDK tickets): AES-256-GCM under a key
 * derived with HKDF-SHA256 from the app secret (`WECOM_APP_SECRET`), which every instance already has, so no
 * new setting is needed and all instances open each other's values. Whoever reads Redis without the secret gets
 * no usable token. The cache key is bound in as associated data, so a value copied to another key does not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const SALT = 'zhucun-bot wecom credential cache';
const INFO = 'aes-256-gcm v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CredentialSeal {
  private readonly key: Buffer;

  /** `secret`: the app secret the credentials are fetched with. */
  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
  }

  /** Encrypt `plain` for storage under `cacheKey`: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(plain: string, cacheKey: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(cacheKey, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /**
   * The plain text of a value sealed under `cacheKey` with this key; null for anything else (another secret,
   * another key, tampered with, or not sealed at all), which callers treat as no value.
   */
  open(sealed: string, cacheKey: string): string | null {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) return null;
    const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(cacheKey, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
