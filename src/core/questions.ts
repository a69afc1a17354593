/**
 * The questions the bot waits on: after "请个假" it asks "请问请什么假、哪几天？" and the person's next message in
 * that chat is the answer. One question per person and chat (the app chat, each group), kept in one hash per
 * person (`Keys.questions`) so that it shares the person's hash slot with the update's de-duplication record and
 * commits with it: a retried delivery finds the question exactly as the first delivery left it.
 *
 * Reads go to Redis; writes are staged on the update's `Tx` and expect the field as it was read, so of two
 * messages answering the same question at once only one takes it (the other runs again and finds none).
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Tx } from '../redis/tx.js';
import type { Update } from './update.js';

/** What the bot asked: the answer re-runs `command` with `${keep} ${answer}`. */
export interface Question {
  /** The id of the command that asked (`leave`, `report-submit`). */
  command: string;
  /** What the person wrote so far, that the answer completes. */
  keep: string;
  /** When the question lapses (ISO time, by the domain clock); an answer after it is a fresh message. */
  until: string;
}

/** A question as read, with the stored text the commit expects to find unchanged. */
export interface StoredQuestion {
  question: Question;
  raw: string;
}

/**
 * How long Redis keeps a person's questions at most (s). Whether a question still waits is decided by the
 * domain clock against `until`; this only keeps unanswered ones from piling up, so it is far longer.
 */
const GC_SECONDS = 24 * 3600;

/** The chat an update belongs to: `app` (or `bot`) for the one-to-one chat, `group:<chatid>` for a group. */
export function chatOf(update: Update): string {
  return update.chatType === 'group' ? `group:${update.chatId ?? ''}` : update.channel;
}

export class QuestionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The question stored for this person and chat, lapsed or not; undefined when there is none or it is unreadable. */
  async read(userId: string, chat: string): Promise<StoredQuestion | undefined> {
    const raw = await this.redis.hget(this.keys.questions(userId), chat);
    if (raw === null) return undefined;
    const question = parse(raw);
    // An unreadable record is treated as a lapsed one: it is replaced or cleared like any other.
    return { question: question ?? { command: '', keep: '', until: new Date(0).toISOString() }, raw };
  }

  /** Stage `question` for this person and chat, replacing `previous` (the record read, if any). */
  ask(tx: Tx, userId: string, chat: string, question: Question, previous: StoredQuestion | undefined): void {
    const key = this.keys.questions(userId);
    tx.expect(key, chat, previous?.raw ?? null);
    tx.hset(key, chat, JSON.stringify(question));
    tx.expire(key, GC_SECONDS);
  }

  /** Stage the removal of the question read as `previous`. */
  clear(tx: Tx, userId: string, chat: string, previous: StoredQuestion): void {
    const key = this.keys.questions(userId);
    tx.expect(key, chat, previous.raw);
    tx.hdel(key, chat);
  }
}

function parse(raw: string): Question | undefined {
  try {
    const q = JSON.parse(raw) as Partial<Question>;
    if (typeof q.command === 'string' && typeof q.keep === 'string' && typeof q.until === 'string')
      return { command: q.command, keep: q.keep, until: q.until };
  } catch {
    // fall through: not JSON
  }
  return undefined;
}
