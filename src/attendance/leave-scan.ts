/**
 * The approved leave of stored requests, read from their JSON text without building the whole requests: a
 * county's figures read every cadre's requests, and parsing each one whole (steps, reason, judgement) costs
 * more than all the counting. Only the top-level fields the figures read are taken (`LeaveSpan`); nested
 * values are skipped over, so a `start` inside a judgement never passes for the request's own.
 *
 * The text is what `JSON.stringify` wrote, as the UTF-8 bytes Redis sends (no conversion of the whole text to
 * a string). Anything this reader does not expect (white space, a field of the wrong kind, a missing field)
 * makes it give up, and the caller parses the text whole, so the answer is always that of `JSON.parse`
 * followed by `approvedOf`.
 */
import type { LeaveRequest } from '../leave/workflow.js';
import type { LeaveSpan } from './days.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Thrown inside on text this reader does not take; never leaves the module. */
class Unexpected extends Error {}
const UNEXPECTED = new Unexpected();

/** The index after the closing quote of the string whose opening quote is at `i`. */
function stringEnd(s: Uint8Array, i: number): number {
  const n = s.length;
  let j = i + 1;
  while (j < n) {
    const c = s[j]!;
    if (c === QUOTE) return j + 1;
    // An escape takes the next byte with it (an escaped quote or backslash, or the u of \uXXXX).
    j += c === BACKSLASH ? 2 : 1;
  }
  throw UNEXPECTED;
}

/** The index after the object or array whose opening bracket is at `i`. */
function nestedEnd(s: Uint8Array, i: number): number {
  let depth = 0;
  let j = i;
  const n = s.length;
  while (j < n) {
    const c = s[j]!;
    if (c === QUOTE) {
      j = stringEnd(s, j);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return j + 1;
    }
    j += 1;
  }
  throw UNEXPECTED;
}

/** The index after a number, `true`, `false` or `null` starting at `i`. */
function literalEnd(s: Uint8Array, i: number): number {
  let j = i;
  const n = s.length;
  while (j < n) {
    const c = s[j]!;
    if (c === COMMA || c === CLOSE_BRACE) return j;
    j += 1;
  }
  throw UNEXPECTED;
}

/** Whether bytes `[a, b)` hold a backslash. */
function escaped(s: Uint8Array, a: number, b: number): boolean {
  for (let j = a; j < b; j++) if (s[j] === BACKSLASH) return true;
  return false;
}

/** The value of a JSON string literal from `a` (its opening quote) to `b` (after its closing quote). */
function stringValue(s: Buffer, a: number, b: number): string {
  return escaped(s, a + 1, b - 1) ? (JSON.parse(s.toString('utf8', a, b)) as string) : s.toString('utf8', a + 1, b - 1);
}

/** Whether bytes `[a, b)` are exactly `word` (ASCII). */
function bytesAre(s: Uint8Array, a: number, b: number, word: Uint8Array): boolean {
  if (b - a !== word.length) return false;
  for (let j = 0; j < word.length; j++) if (s[a + j] !== word[j]) return false;
  return true;
}

// The fields read, in slot order. A key is compared in place: a county's requests have millions of them.
const FIELDS = ['no', 'type', 'class', 'start', 'end', 'status', 'returnedOn', 'halfStart', 'halfEnd'].map((f) =>
  Buffer.from(f, 'latin1'),
);
const APPROVED = Buffer.from('"approved"', 'latin1');
const TRUE = Buffer.from('true', 'latin1');

/**
 * The slot of the key whose text runs from `i` (its opening quote) to `end` (after its closing quote): -1 for
 * a field not read, -2 for a key written with escapes (which might name one of them).
 */
function slotOf(s: Uint8Array, i: number, end: number): number {
  for (let slot = 0; slot < FIELDS.length; slot++) if (bytesAre(s, i + 1, end - 1, FIELDS[slot]!)) return slot;
  return escaped(s, i + 1, end - 1) ? -2 : -1;
}

/**
 * The approved requests of `text`, a comma-separated list of stored requests (a JSON array without its
 * brackets, UTF-8), as `LeaveSpan`s in order; undefined when the text is not of the expected form.
 */
export function scanApproved(text: Buffer): LeaveSpan[] | undefined {
  try {
    return scan(text);
  } catch (err) {
    if (err === UNEXPECTED) return undefined;
    throw err;
  }
}

// Start and end index of each field's value in the current object (-1: not seen).
const from = new Int32Array(FIELDS.length);
const to = new Int32Array(FIELDS.length);

function scan(s: Buffer): LeaveSpan[] {
  const out: LeaveSpan[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (s[i] !== OPEN_BRACE) throw UNEXPECTED;
    from.fill(-1);
    i += 1;
    if (s[i] === CLOSE_BRACE) i += 1;
    else
      for (;;) {
        if (s[i] !== QUOTE) throw UNEXPECTED;
        const keyEnd = stringEnd(s, i);
        if (s[keyEnd] !== COLON) throw UNEXPECTED;
        const v = keyEnd + 1;
        const c = s[v];
        const end =
          c === QUOTE ? stringEnd(s, v) : c === OPEN_BRACE || c === OPEN_BRACKET ? nestedEnd(s, v) : literalEnd(s, v);
        const slot = slotOf(s, i, keyEnd);
        if (slot === -2) throw UNEXPECTED;
        if (slot >= 0) {
          from[slot] = v;
          to[slot] = end;
        }
        i = end;
        const next = s[i];
        i += 1;
        if (next === CLOSE_BRACE) break;
        if (next !== COMMA) throw UNEXPECTED;
      }
    const span = spanOf(s);
    if (span) out.push(span);
    if (i < n) {
      if (s[i] !== COMMA) throw UNEXPECTED;
      i += 1;
      if (i === n) throw UNEXPECTED;
    }
  }
  return out;
}

/** A field that must be a string: its value (a missing or other field is left to JSON.parse). */
function required(s: Buffer, slot: number): string {
  const a = from[slot]!;
  if (a < 0 || s[a] !== QUOTE) throw UNEXPECTED;
  return stringValue(s, a, to[slot]!);
}

function spanOf(s: Buffer): LeaveSpan | undefined {
  const st = from[5]!;
  // Not approved (a status of another kind is not 'approved' either; an escaped one is decoded first).
  if (st < 0 || s[st] !== QUOTE) return undefined;
  if (!bytesAre(s, st, to[5]!, APPROVED) && stringValue(s, st, to[5]!) !== 'approved') return undefined;
  const span: LeaveSpan = {
    no: required(s, 0),
    type: required(s, 1),
    class: required(s, 2) as LeaveRequest['class'],
    start: required(s, 3),
    end: required(s, 4),
    status: 'approved',
  };
  const r = from[6]!;
  if (r >= 0 && s[r] === QUOTE) span.returnedOn = stringValue(s, r, to[6]!);
  if (from[7]! >= 0 && bytesAre(s, from[7]!, to[7]!, TRUE)) span.halfStart = true;
  if (from[8]! >= 0 && bytesAre(s, from[8]!, to[8]!, TRUE)) span.halfEnd = true;
  return span;
}
