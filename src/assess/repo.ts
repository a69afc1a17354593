/**
 * Assessment rounds (考评) in Redis, all under one hash tag so a round's records commit together: the rounds
 * (hash id → JSON), the id of the round not yet closed, each round's cadres (hash userid → JSON), its 评议 codes
 * (hash SHA-256 of the code → JSON: the code itself is never stored) and its paper ballots. Reads go to Redis
 * directly; writes are staged in the caller's Tx, each save stating the version it read.
 */
import { createHash, randomInt } from 'node:crypto';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Sequence } from '../redis/sequence.js';
import type { Saved, Tx } from '../redis/tx.js';
import { addTally, emptyTally, type CodeRecord, type Entry, type PaperBatch, type Round, type Tally } from './model.js';

/** Letters and digits a villager cannot mistake for one another (no 0/O, 1/I/L). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 10 characters of 31: about 49 bits, drawn with crypto.randomInt. */
export const CODE_LENGTH = 10;

/** A fresh one-time 评议 code, e.g. `7KQ4-MX2PAR` as printed (the dash is for reading only). */
export function newCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** A code as typed: upper case, spaces and dashes dropped; undefined when it cannot be a code. */
export function normaliseCode(typed: string): string | undefined {
  const s = typed.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== CODE_LENGTH || [...s].some((c) => !CODE_ALPHABET.includes(c))) return undefined;
  return s;
}

/** What is stored for a code: its SHA-256 (with the round, so one code never matches another round's). */
export function codeHash(round: string, normalised: string): string {
  return createHash('sha256').update(`${round}:${normalised}`).digest('hex');
}

export class AssessRepo {
  private readonly numbers: Sequence;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.numbers = new Sequence(redis, keys.sequence('assess'), 'K');
  }

  async nextId(tx: Tx): Promise<string> {
    return this.numbers.next(tx);
  }

  async round(id: string): Promise<Round | undefined> {
    const raw = await this.redis.hget(this.keys.assessRounds(), id);
    return raw ? (JSON.parse(raw) as Round) : undefined;
  }

  /** The round not yet closed, if any. */
  async current(): Promise<Round | undefined> {
    const id = await this.redis.get(this.keys.assessCurrent());
    return id ? this.round(id) : undefined;
  }

  /** The round not yet closed, or else the latest one. */
  async latest(): Promise<Round | undefined> {
    const cur = await this.current();
    if (cur) return cur;
    const all = Object.values(await this.redis.hgetall(this.keys.assessRounds())).map((r) => JSON.parse(r) as Round);
    return all.sort((a, b) => Number(b.id.slice(1)) - Number(a.id.slice(1)))[0];
  }

  /** Stage a round; a new one becomes the current round, a closed one stops being it. */
  saveRound(tx: Tx, round: Round, { previous }: Saved<Round> = {}): void {
    tx.expect(this.keys.assessRounds(), round.id, previous ? JSON.stringify(previous) : null);
    tx.hset(this.keys.assessRounds(), round.id, JSON.stringify(round));
    if (round.status === 'closed') tx.del(this.keys.assessCurrent());
    else tx.set(this.keys.assessCurrent(), round.id);
  }

  async entries(round: string): Promise<Map<string, Entry>> {
    const all = await this.redis.hgetall(this.keys.assessEntries(round));
    return new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as Entry]));
  }

  async entry(round: string, userid: string): Promise<Entry | undefined> {
    const raw = await this.redis.hget(this.keys.assessEntries(round), userid);
    return raw ? (JSON.parse(raw) as Entry) : undefined;
  }

  /**
   * Stage a cadre's entry. `previous` is the entry as read (absent for a new one); `round` is the round as read,
   * expected unchanged so that no write lands in a round closed meanwhile.
   */
  saveEntry(tx: Tx, round: Round, entry: Entry, { previous }: Saved<Entry> = {}): void {
    tx.expect(this.keys.assessRounds(), round.id, JSON.stringify(round));
    const key = this.keys.assessEntries(round.id);
    tx.expect(key, entry.userid, previous ? JSON.stringify(previous) : null);
    tx.hset(key, entry.userid, JSON.stringify(entry));
  }

  async code(round: string, hash: string): Promise<CodeRecord | undefined> {
    const raw = await this.redis.hget(this.keys.assessCodes(round), hash);
    return raw ? (JSON.parse(raw) as CodeRecord) : undefined;
  }

  async codes(round: string): Promise<CodeRecord[]> {
    return Object.values(await this.redis.hgetall(this.keys.assessCodes(round))).map(
      (r) => JSON.parse(r) as CodeRecord,
    );
  }

  /** Stage a code (new, or answered: `previous` as read, so a code answers once however many submit it). */
  saveCode(tx: Tx, round: Round, hash: string, rec: CodeRecord, { previous }: Saved<CodeRecord> = {}): void {
    tx.expect(this.keys.assessRounds(), round.id, JSON.stringify(round));
    const key = this.keys.assessCodes(round.id);
    tx.expect(key, hash, previous ? JSON.stringify(previous) : null);
    tx.hset(key, hash, JSON.stringify(rec));
  }

  async paper(round: string): Promise<PaperBatch[]> {
    return Object.values(await this.redis.hgetall(this.keys.assessPaper(round)))
      .map((r) => JSON.parse(r) as PaperBatch)
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }

  savePaper(tx: Tx, round: Round, batch: PaperBatch): void {
    tx.expect(this.keys.assessRounds(), round.id, JSON.stringify(round));
    tx.expect(this.keys.assessPaper(round.id), batch.id, null);
    tx.hset(this.keys.assessPaper(round.id), batch.id, JSON.stringify(batch));
  }

  /** The 评议 of each village of the round: answers on the page and on paper, apart and together. */
  async tallies(round: string): Promise<Map<string, { page: Tally; paper: Tally; all: Tally }>> {
    const [codes, paper] = await Promise.all([this.codes(round), this.paper(round)]);
    const out = new Map<string, { page: Tally; paper: Tally; all: Tally }>();
    const of = (v: string) => {
      let t = out.get(v);
      if (!t) out.set(v, (t = { page: emptyTally(), paper: emptyTally(), all: emptyTally() }));
      return t;
    };
    for (const c of codes) if (c.answered) of(c.village).page[c.answered.answer] += 1;
    for (const b of paper) {
      const t = of(b.village);
      t.paper = addTally(t.paper, b.counts);
    }
    for (const t of out.values()) t.all = addTally(t.page, t.paper);
    return out;
  }
}
