/**
 * The bad-input corpus (test/fixtures/bad-input/*.json) as data: loading, expanding `vary` templates, and the
 * macros a case's strings may hold. How a case is sent and judged is in test/system/bad-input.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_DIR = 'test/fixtures/bad-input';

/** How a WeCom callback case is signed and encrypted; absent = sent exactly as written (auth cases). */
export interface SignSpec {
  channel: 'app' | 'bot';
  /** Token used for the signature (default: the channel's): a wrong one is a forged signature. */
  token?: string;
  /** A literal msg_signature instead of the computed one. */
  signature?: string;
  /** `now` (default), `now-400`, `now+3600`, or a literal value. */
  timestamp?: string;
  nonce?: string;
  /** Sign over this string instead of the encrypt that is sent. */
  signOver?: string;
  /** Query parameters to leave out. */
  omit?: string[];
  /** Encrypt for this receive-id instead of the channel's (CorpID for the app, "" for the robot). */
  receiveId?: string;
  /** Encrypt with this EncodingAESKey instead of the channel's. */
  aesKey?: string;
  /** PKCS#7 pad value to use instead of the right one (every pad byte set to it). */
  pad?: number;
  /** msg_len to declare instead of the real one. */
  declaredLength?: number;
}

export interface Expectation {
  /** One status or any of several. */
  status: number | number[];
  /** The whole response body (the refusal code for callbacks). */
  text?: string;
  /** The decrypted passive reply is a sentence for people (contains Chinese). */
  reply?: 'chinese';
  /** Side-effect classes of side-effects.json this case may write; default none. */
  writes?: string[];
}

export interface BadInputCase {
  name: string;
  method?: string;
  path?: string;
  /** Raw query string without "?" (added to the signed one for signed cases). */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Body bytes as base64, for bodies that are not valid UTF-8. */
  bodyBase64?: string;
  sign?: SignSpec;
  /** Plaintext to encrypt (signed cases). */
  plaintext?: string;
  /** Literal ciphertext to sign and send (signed cases), instead of encrypting `plaintext`. */
  encrypt?: string;
  /** Envelope around the encrypt; `{{encrypt}}` is replaced (default: the channel's normal envelope). */
  envelope?: string;
  /** The whole request as bytes on the wire (CRLF as \r\n); method/path/headers/body are then ignored. */
  raw?: string;
  expect: Expectation;
}

interface Template {
  /** Values for each `{{name}}`; one case per combination row (all lists the same length, taken by index). */
  vary: Record<string, (string | number)[]>;
  case: BadInputCase;
}

interface CorpusFile {
  surface: string;
  description?: string;
  /** Fields every case of the file starts from. */
  defaults?: Partial<BadInputCase>;
  cases?: BadInputCase[];
  templates?: Template[];
}

export interface LoadedCase extends BadInputCase {
  surface: string;
  file: string;
}

/** Replace `{{key}}` in every string of `value` (deeply) with `vars[key]`; unknown keys are left alone. */
export function fill<T>(value: T, vars: Record<string, string | number>): T {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (whole, k: string) => (k in vars ? String(vars[k]) : whole)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fill(v, vars);
    return out as T;
  }
  return value;
}

/** `{{repeat:N:TEXT}}` → TEXT N times: large bodies stay small in the fixture. */
export function expandRepeats(text: string): string {
  return text.replace(/\{\{repeat:(\d+):([\s\S]*?)\}\}/g, (_w, n: string, t: string) => t.repeat(Number(n)));
}

function expand(file: CorpusFile, name: string): LoadedCase[] {
  const base = (c: BadInputCase): LoadedCase => ({
    ...file.defaults,
    ...c,
    headers: { ...file.defaults?.headers, ...c.headers },
    surface: file.surface,
    file: name,
  });
  const out = (file.cases ?? []).map(base);
  for (const t of file.templates ?? []) {
    const lengths = new Set(Object.values(t.vary).map((l) => l.length));
    if (lengths.size !== 1) throw new Error(`${name}: template "${t.case.name}": vary lists differ in length`);
    const [n] = [...lengths] as [number];
    for (let i = 0; i < n; i++) {
      const vars = Object.fromEntries(Object.entries(t.vary).map(([k, l]) => [k, l[i]!]));
      out.push(base(fill(t.case, vars)));
    }
  }
  return out;
}

/** Every case of every corpus file, templates expanded; names must be unique within a file. */
export function loadCorpus(dir = CORPUS_DIR): LoadedCase[] {
  const all: LoadedCase[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'side-effects.json')
    .sort()) {
    const cases = expand(JSON.parse(readFileSync(join(dir, name), 'utf8')) as CorpusFile, name);
    const names = new Set<string>();
    for (const c of cases) {
      if (names.has(c.name)) throw new Error(`${name}: case name "${c.name}" is used twice`);
      names.add(c.name);
    }
    all.push(...cases);
  }
  return all;
}

export interface SideEffects {
  /** Written by the app in the background whatever the request: never counted. */
  always: { pattern: string; why: string }[];
  /** Classes a case may name in `expect.writes`. */
  classes: Record<string, { pattern: string; why: string }>;
}

/** The documented side effects, patterns compiled against the namespace (`{ns}` in a pattern). */
export function loadSideEffects(ns: string, dir = CORPUS_DIR): { always: RegExp[]; classes: Record<string, RegExp> } {
  const raw = JSON.parse(readFileSync(join(dir, 'side-effects.json'), 'utf8')) as SideEffects;
  const compile = (p: string) => new RegExp(p.replaceAll('{ns}', ns));
  return {
    always: raw.always.map((a) => compile(a.pattern)),
    classes: Object.fromEntries(Object.entries(raw.classes).map(([k, v]) => [k, compile(v.pattern)])),
  };
}
