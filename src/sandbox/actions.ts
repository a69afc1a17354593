/**
 * What a person does on the sandbox page, done as WeCom would do it: a message in the chat with the app or
 * an @-mention of the robot in a group, a location message, entering the app (an automatic location report),
 * a click on a card button. Each becomes a signed, encrypted callback to the bot's real endpoints; what the
 * person typed and the passive reply go into the conversation, as WeCom shows them.
 */
import type { FakeWecom } from '../fakewecom/server.js';
import type { Person } from '../roster/roster.js';
import * as T from '../../templates/sandbox.js';
import { appChat, type ChatLog } from './chatlog.js';
import { appReplyBodies, robotReplyBodies } from './items.js';
import type { Conversation } from './people.js';
import type { SandboxWecom } from './wecom-client.js';

export interface CardClick {
  taskId: string;
  key: string;
  cardType: string;
}

export interface Point {
  lat: number;
  lng: number;
  label?: string;
}

/** How a message travelled, under its bubble: the person's callbacks, and the bot's passive replies. */
const APP = 'callback → /wecom/app';
const PASSIVE = 'passive reply';

export class SandboxActions {
  constructor(
    private readonly log: ChatLog,
    private readonly wecom: SandboxWecom,
    private readonly fake: FakeWecom,
  ) {}

  /** A text message: to the app, or to the robot with an @-mention in a group. `base` is the bot's own URL. */
  async say(base: string, person: Person, conv: Conversation, text: string): Promise<void> {
    const me = { id: person.userid, name: person.name };
    if (!conv.chatId) {
      await this.log.add(conv.chat, me, APP, [{ kind: 'text', text }]);
      const reply = await this.wecom.app(base, person.userid, {
        MsgType: 'text',
        Content: text,
        MsgId: this.wecom.msgId(),
      });
      await this.log.add(conv.chat, null, PASSIVE, reply ? appReplyBodies(reply).bodies : []);
      return;
    }
    const content = text.trimStart().startsWith('@') ? text : `@${T.BOT_NAME} ${text}`;
    await this.log.add(conv.chat, me, this.wecom.robotVia, [{ kind: 'text', text: content }]);
    await this.robot(base, person, conv, { msgid: `sbx${this.wecom.msgId()}`, msgtype: 'text', text: { content } });
  }

  /** A location message in the chat with the app ("+ → 位置"): the point the person picked. */
  async sendLocation(base: string, person: Person, p: Point): Promise<void> {
    const chat = appChat(person.userid);
    await this.log.add(chat, { id: person.userid, name: person.name }, APP, [{ kind: 'location', ...p }]);
    const fields = {
      MsgType: 'location',
      Location_X: p.lat,
      Location_Y: p.lng,
      Scale: 15,
      Label: p.label ?? '',
      MsgId: this.wecom.msgId(),
    };
    const reply = await this.wecom.app(base, person.userid, fields);
    await this.log.add(chat, null, PASSIVE, reply ? appReplyBodies(reply).bodies : []);
  }

  /** Entering the app with location reporting on: WeCom's `LOCATION` event, which the person does not see. */
  async reportLocation(base: string, person: Person, p: Point): Promise<void> {
    const chat = appChat(person.userid);
    await this.log.add(chat, null, 'LOCATION event', [{ kind: 'note', text: T.notes.autoReported(p.lat, p.lng) }]);
    const reply = await this.wecom.app(base, person.userid, {
      MsgType: 'event',
      Event: 'LOCATION',
      Latitude: p.lat,
      Longitude: p.lng,
      Precision: 30,
    });
    await this.log.add(chat, null, PASSIVE, reply ? appReplyBodies(reply).bodies : []);
  }

  /**
   * A click on a card button, with a fresh ResponseCode as WeCom gives one. WeCom shows nothing for a click
   * but the card's change (`update_button`); anything the bot says about it arrives as a message.
   */
  async click(base: string, person: Person, conv: Conversation, c: CardClick): Promise<void> {
    if (conv.chatId) {
      const event = {
        eventtype: 'template_card_event',
        template_card_event: { card_type: c.cardType, event_key: c.key, task_id: c.taskId },
      };
      await this.robot(
        base,
        person,
        conv,
        { msgid: `sbx${this.wecom.msgId()}`, create_time: this.wecom.createTime(), msgtype: 'event', event },
        c.taskId,
      );
      return;
    }
    const code = this.fake.issueCardResponseCode();
    await this.log.rememberCode(code, { kind: 'card', userId: person.userid, taskId: c.taskId });
    const fields = {
      MsgType: 'event',
      Event: 'template_card_event',
      EventKey: c.key,
      TaskId: c.taskId,
      CardType: c.cardType,
      ResponseCode: code,
    };
    const reply = await this.wecom.app(base, person.userid, fields);
    const replaceName = reply ? appReplyBodies(reply).replaceName : undefined;
    if (replaceName) await this.log.updateCard([person.userid], c.taskId, { replaceName });
  }

  /** A robot callback from a group, with a response_url the bot may post to later; shows the passive reply. */
  private async robot(
    base: string,
    person: Person,
    conv: Conversation,
    json: Record<string, unknown>,
    clickedTask?: string,
  ): Promise<void> {
    const responseUrl = this.fake.issueResponseUrl();
    const code = new URL(responseUrl).searchParams.get('response_code')!;
    await this.log.rememberCode(code, { kind: 'robot', chat: conv.chat, userId: person.userid });
    const full = {
      ...json,
      chatid: conv.chatId,
      chattype: 'group',
      from: { userid: person.userid },
      response_url: responseUrl,
    };
    const reply = await this.wecom.robot(base, full);
    if (!reply) return;
    const { bodies, update } = robotReplyBodies(reply);
    await this.log.add(conv.chat, null, PASSIVE, bodies);
    const taskId = update?.card.taskId ?? clickedTask;
    if (update && taskId) await this.log.updateCard(update.userIds, taskId, { card: update.card });
  }
}
