/**
 * The sandbox's record of its conversations, in Redis so that a page reload or a restart shows the same chats:
 * one list per conversation (`app:<userid>` for a person's chat with the app, `group:<chatid>` for a group),
 * the state of each card per person (a relabelled button, a replaced card), and which card or chat a one-time
 * code belongs to. Every change bumps one counter, which the page polls.
 */
import type { Clock } from '../core/clock.js';
import type { RedisClient } from '../redis/client.js';
import type { Body, CardState, ChatItem } from './items.js';
import type { Keys } from '../redis/keys.js';

/** Items kept per conversation; older ones fall off, as a phone's chat history would scroll away. */
export const MAX_ITEMS = 300;
/** One-time codes are useless after WeCom's longest validity (card response codes, 72 hours). */
const CODE_TTL_S = 3 * 86_400;

/** What a one-time code issued by the sandbox stands for. */
export type CodeInfo =
  /** A card ResponseCode given with a click: the card and who clicked. */
  | { kind: 'card'; userId: string; taskId: string }
  /** A smart robot response_url: the conversation the callback came from. */
  | { kind: 'robot'; chat: string; userId: string };

export const appChat = (userId: string) => `app:${userId}`;
export const groupChat = (chatId: string) => `group:${chatId}`;

export class ChatLog {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock,
  ) {}

  /** Append one item per body to a conversation, stamped with the simulated time. */
  async add(chat: string, from: ChatItem['from'], via: string, bodies: Body[]): Promise<void> {
    for (const body of bodies) {
      const seq = await this.redis.incr(this.keys.sandboxVersion());
      const item: ChatItem = { seq, at: this.clock.now().getTime(), from, via, body };
      await this.redis.rpush(this.keys.sandboxChat(chat), JSON.stringify(item));
      await this.redis.ltrim(this.keys.sandboxChat(chat), -MAX_ITEMS, -1);
    }
  }

  /** A conversation in order of arrival. */
  async read(chat: string): Promise<ChatItem[]> {
    const raw = await this.redis.lrange(this.keys.sandboxChat(chat), 0, -1);
    return raw.map((r) => JSON.parse(r) as ChatItem).sort((a, b) => a.seq - b.seq);
  }

  /** The counter the page compares with what it has shown. */
  async version(): Promise<number> {
    return Number((await this.redis.get(this.keys.sandboxVersion())) ?? 0);
  }

  /** The states of the cards one person has seen, by task_id. */
  async cards(userId: string): Promise<Record<string, CardState>> {
    const raw = await this.redis.hgetall(this.keys.sandboxCards(userId));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as CardState]));
  }

  /** Change a card for these people: a new card resets its buttons, a relabel keeps the card it applies to. */
  async updateCard(userIds: string[], taskId: string, change: CardState): Promise<void> {
    for (const userId of userIds) {
      const key = this.keys.sandboxCards(userId);
      const before = await this.redis.hget(key, taskId);
      const prior = before ? (JSON.parse(before) as CardState) : {};
      const next: CardState = change.card ? { card: change.card } : { ...prior, ...change };
      await this.redis.hset(key, taskId, JSON.stringify(next));
    }
    await this.redis.incr(this.keys.sandboxVersion());
  }

  async rememberCode(code: string, info: CodeInfo): Promise<void> {
    await this.redis.hset(this.keys.sandboxCodes(), code, JSON.stringify(info));
    await this.redis.expire(this.keys.sandboxCodes(), CODE_TTL_S);
  }

  async code(code: string): Promise<CodeInfo | undefined> {
    const raw = await this.redis.hget(this.keys.sandboxCodes(), code);
    return raw ? (JSON.parse(raw) as CodeInfo) : undefined;
  }
}
