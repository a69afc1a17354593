/**
 * Everything the fake WeCom delivers, put where WeCom would show it: app messages in each recipient's chat with
 * the app, group robot and smart robot posts in the group, card updates on the card they update. The fake
 * reports deliveries as events; they are handled one after the other so a conversation keeps their order.
 */
import type { Delivered, FakeWecom } from '../fakewecom/server.js';
import type { Logger } from '../log.js';
import type { RosterStore } from '../roster/store.js';
import { appChat, groupChat, type ChatLog } from './chatlog.js';
import { appMessageBodies, cardView, webhookBodies, type CardState } from './items.js';

export interface CaptureOptions {
  log: ChatLog;
  roster: RosterStore;
  /** The environment the outbox reads webhook keys from, to tell which group a key posts to. */
  sendEnv: Record<string, string | undefined>;
  /** The picture of an uploaded media id as a data URL, when the fake WeCom keeps uploads. */
  media?: (mediaId: string) => string | undefined;
  logger: Logger;
}

type Json = Record<string, unknown>;

/** The group chat a webhook key posts to: the sandbox's own `sandbox-<chatid>`, or a key named in the environment. */
async function chatOfWebhook(opts: CaptureOptions, key: string): Promise<string | undefined> {
  if (key.startsWith('sandbox-')) return key.slice('sandbox-'.length);
  const groups = (await opts.roster.get()).data.groups;
  return groups.find((g) => g.webhookKeyEnv && opts.sendEnv[g.webhookKeyEnv] === key)?.chatid;
}

async function recipients(opts: CaptureOptions, to: string[]): Promise<string[]> {
  if (!to.includes('@all')) return to;
  const roster = await opts.roster.get();
  return [...roster.data.cadres.map((c) => c.userid), ...roster.data.supervisors.map((s) => s.userid)];
}

async function cardUpdate(opts: CaptureOptions, d: Delivered): Promise<void> {
  const p = d.payload;
  const code = typeof p.response_code === 'string' ? await opts.log.code(p.response_code) : undefined;
  const view = cardView(p.template_card);
  const taskId = code?.kind === 'card' ? code.taskId : view?.taskId;
  if (!taskId) {
    opts.logger.warn({ seq: d.seq }, 'sandbox: a card update for a card it cannot find');
    return;
  }
  const replaceName = (p.button as Json | undefined)?.replace_name;
  const change: CardState = typeof replaceName === 'string' ? { replaceName } : view ? { card: view } : {};
  await opts.log.updateCard(d.to, taskId, change);
}

/** Show one delivered message. */
export async function showDelivered(opts: CaptureOptions, d: Delivered): Promise<void> {
  const { log } = opts;
  switch (d.channel) {
    case 'app':
      for (const u of await recipients(opts, d.to))
        await log.add(appChat(u), null, 'message/send', appMessageBodies(d.payload, opts.media));
      return;
    case 'appchat':
      await log.add(groupChat(d.to[0]!), null, 'appchat/send', appMessageBodies(d.payload, opts.media));
      return;
    case 'webhook': {
      const chatId = await chatOfWebhook(opts, d.to[0]!);
      if (chatId) await log.add(groupChat(chatId), null, 'webhook/send', webhookBodies(d.payload));
      else opts.logger.warn({ seq: d.seq }, 'sandbox: a webhook message for a key of no group');
      return;
    }
    case 'response_url': {
      const code = await log.code(d.to[0]!);
      if (code?.kind === 'robot') await log.add(code.chat, null, 'aibot/response', appMessageBodies(d.payload));
      else opts.logger.warn({ seq: d.seq }, 'sandbox: a response_url message for a callback the sandbox did not send');
      return;
    }
    case 'card_update':
      return cardUpdate(opts, d);
    case 'robot_reply':
      // The passive reply over the long connection: shown by the action that sent the message.
      return;
    case 'robot_push': {
      // A group's chatid, or the userid of a single chat with the robot (shown in the person's chat with the app).
      const to = d.to[0]!;
      const group = (await opts.roster.get()).data.groups.some((g) => g.chatid === to);
      const chat = group ? groupChat(to) : appChat(to);
      await log.add(chat, null, 'aibot_send_msg', appMessageBodies(d.payload));
      return;
    }
    case 'recall': {
      // Announcements are the only messages the bot recalls, and they are cards: the card shows it.
      const taskId = d.payload.task_id;
      if (typeof taskId === 'string') await log.updateCard(d.to, taskId, { recalled: true });
      return;
    }
  }
}

/**
 * Follow the fake WeCom's deliveries from now on, and show those it made before (the outbox may have sent
 * something while the app was starting). Returns a function that stops following and waits for the rest.
 */
export function captureDeliveries(fake: FakeWecom, opts: CaptureOptions): () => Promise<void> {
  const done = new Set<number>();
  let chain = Promise.resolve();
  const on = (d: Delivered) => {
    if (done.has(d.seq)) return;
    done.add(d.seq);
    chain = chain
      .then(() => showDelivered(opts, d))
      .catch((err: unknown) => opts.logger.error({ err, seq: d.seq }, 'sandbox: could not show a delivered message'));
  };
  fake.events.on('sent', on);
  for (const d of fake.sent()) on(d);
  return async () => {
    fake.events.off('sent', on);
    await chain;
  };
}
