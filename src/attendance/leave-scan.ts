/**
 * The approved leave of stored requests, read from their JSON text without building the whole requests: a
 * county's figures read every cadre's requests, and parsing each one whole (steps, reason, judgement) costs
 * more than all the counting. Only the top-level fields the figures read are taken (`LeaveSpan`); nested
 * values are skipped over, so a `start` inside a judgement never passes for the request's own.
 *
 * The text is what `JSON.stringify` wrote. Anything this reader does not expect (white space, a field of the
 * wrong kind, a missing field) makes it give up, and the caller parses the text whole, so the answer is always
 * that of `JSON.parse` followed by `approvedOf`.
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
function stringEnd(s: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) throw UNEXPECTED;
    let k = q - 1;
    while (s.charCodeAt(k) === BACKSLASH) k -= 1;
    // An even number of backslashes before it: the quote is not escaped.
    if ((q - 1 - k) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** The index after the object or array whose opening bracket is at `i`. */
function nestedEnd(s: string, i: number): number {
  let depth = 0;
  let j = i;
  const n = s.length;
  while (j < n) {
    const c = s.charCodeAt(j);
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
function literalEnd(s: string, i: number): number {
  let j = i;
  const n = s.length;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === COMMA || c === CLOSE_BRACE) return j;
    j += 1;
  }
  throw UNEXPECTED;
}

/** The value of a JSON string literal from `a` (its opening quote) to `b` (after its closing quote). */
function stringValue(s: string, a: number, b: number): string {
  const raw = s.slice(a + 1, b - 1);
  return raw.includes('\\') ? (JSON.parse(s.slice(a, b)) as string) : raw;
}

// The fields read, by name: which slot of `Found` they go to.
const FIELDS = new Map(
  ['no', 'type', 'class', 'start', 'end', 'status', 'returnedOn', 'halfStart', 'halfEnd'].map((k, i) => [k, i]),
);

/**
 * The approved requests of `text`, a comma-separated list of stored requests (a JSON array without its
 * brackets), as `LeaveSpan`s in order; undefined when the text is not of the expected form.
 */
export function scanApproved(text: string): LeaveSpan[] | undefined {
  try {
    return scan(text);
  } catch (err) {
    if (err === UNEXPECTED) return undefined;
    throw err;
  }
}

function scan(s: string): LeaveSpan[] {
  const out: LeaveSpan[] = [];
  const n = s.length;
  // Start and end index of each field's value in the current object (-1: not seen).
  const from = new Int32Array(9);
  const to = new Int32Array(9);
  let i = 0;
  while (i < n) {
    if (s.charCodeAt(i) !== OPEN_BRACE) throw UNEXPECTED;
    from.fill(-1);
    i += 1;
    if (s.charCodeAt(i) === CLOSE_BRACE) i += 1;
    else
      for (;;) {
        if (s.charCodeAt(i) !== QUOTE) throw UNEXPECTED;
        const keyEnd = stringEnd(s, i);
        if (s.charCodeAt(keyEnd) !== COLON) throw UNEXPECTED;
        const key = s.slice(i + 1, keyEnd - 1);
        const v = keyEnd + 1;
        const c = s.charCodeAt(v);
        const end =
          c === QUOTE ? stringEnd(s, v) : c === OPEN_BRACE || c === OPEN_BRACKET ? nestedEnd(s, v) : literalEnd(s, v);
        const slot = FIELDS.get(key) ?? (key.includes('\\') ? -2 : -1);
        // A key written with escapes might name a field read here: leave the text to JSON.parse.
        if (slot === -2) throw UNEXPECTED;
        if (slot >= 0) {
          from[slot] = v;
          to[slot] = end;
        }
        i = end;
        const next = s.charCodeAt(i);
        i += 1;
        if (next === CLOSE_BRACE) break;
        if (next !== COMMA) throw UNEXPECTED;
      }
    const span = spanOf(s, from, to);
    if (span) out.push(span);
    if (i < n) {
      if (s.charCodeAt(i) !== COMMA) throw UNEXPECTED;
      i += 1;
      if (i === n) throw UNEXPECTED;
    }
  }
  return out;
}

/** A field that must be a string: its value (a missing or other field is left to JSON.parse). */
function required(s: string, from: Int32Array, to: Int32Array, slot: number): string {
  const a = from[slot]!;
  if (a < 0 || s.charCodeAt(a) !== QUOTE) throw UNEXPECTED;
  return stringValue(s, a, to[slot]!);
}

/** Whether an optional field is the literal `true`. */
function isTrue(s: string, from: Int32Array, to: Int32Array, slot: number): boolean {
  const a = from[slot]!;
  return a >= 0 && to[slot]! - a === 4 && s.startsWith('true', a);
}

function spanOf(s: string, from: Int32Array, to: Int32Array): LeaveSpan | undefined {
  const st = from[5]!;
  // Not approved (a status of another kind is not 'approved' either).
  if (st < 0 || s.charCodeAt(st) !== QUOTE || stringValue(s, st, to[5]!) !== 'approved') return undefined;
  const r = from[6]!;
  const returnedOn = r >= 0 && s.charCodeAt(r) === QUOTE ? stringValue(s, r, to[6]!) : undefined;
  return {
    no: required(s, from, to, 0),
    type: required(s, from, to, 1),
    class: required(s, from, to, 2) as LeaveRequest['class'],
    start: required(s, from, to, 3),
    end: required(s, from, to, 4),
    status: 'approved',
    ...(returnedOn !== undefined ? { returnedOn } : {}),
    ...(isTrue(s, from, to, 7) ? { halfStart: true as const } : {}),
    ...(isTrue(s, from, to, 8) ? { halfEnd: true as const } : {}),
  };
}
