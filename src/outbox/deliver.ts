/**
 * Send one outbound message through the channel it is addressed to: app `message/send` to members (an image is
 * uploaded with `media/upload` first), the group robot's `webhook/send`, the smart robot's one-time
 * `response_url`, or `message/update_template_card` after a click. Messages a channel cannot carry fail with a
 * `PermanentSendError`, which the outbox puts in the failed set with the reason.
 */
import { createHash } from 'node:crypto';
import type { Outbound, OutboundBody } from '../core/outbound.js';
import * as T from '../../templates/sending.js';
import type { WecomApi } from '../wecom/api/client.js';
import { renderCard } from './render.js';

/** A message that cannot be sent as it is; retrying would not help. */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
}

export interface DeliverContext {
  api: WecomApi;
  agentId: string;
  /** Environment variables holding group robot webhook keys (read at send time, so a fix applies on retry). */
  env: Record<string, string | undefined>;
  /** Link of text_notice cards without their own. */
  cardUrl: string;
  /**
   * The smart robot's long connection, when it is the robot's channel: a message to members goes to each one
   * who wrote to the robot as an `aibot_send_msg` push, and to the others (or all, while it is down) as an app
   * message. True when the person got it through the robot (now or on an earlier attempt of `messageKey`).
   */
  robot?: { pushQueued(messageKey: string, userId: string, body: RobotPushBody): Promise<boolean> };
}

/** A push as the long connection sends it (`aibot_send_msg` takes markdown and template_card). */
export type RobotPushBody =
  { msgtype: 'markdown'; markdown: { content: string } } | { msgtype: 'template_card'; template_card: unknown };

export interface DeliveryResult {
  endpoint: string;
  msgid?: string;
  /** Recipients WeCom refused (message/send still delivers to the others [D:90236]). */
  invaliduser?: string;
}

/** The webhook key a message is addressed to, or a permanent error naming the unset variable. */
export function webhookKey(keyEnv: string, env: Record<string, string | undefined>): string {
  const key = env[keyEnv]?.trim();
  if (!key) throw new PermanentSendError(T.webhookKeyMissing(keyEnv));
  return key;
}

function unsupported(msg: Outbound): never {
  throw new PermanentSendError(T.unsupported(msg.to.kind, msg.body.type));
}

const CONTENT_TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

function contentTypeOf(filename: string): string {
  return CONTENT_TYPES[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** The bytes of a file message; an empty file is refused for good (WeCom wants more than 5 bytes). */
function fileBytes(body: { filename: string; contentBase64: string }): Buffer {
  const data = Buffer.from(body.contentBase64, 'base64');
  if (data.length <= 5) throw new PermanentSendError(`file ${body.filename} is empty`);
  return data;
}

/** Push `msg` to each member reachable through the robot; the members left for the app. */
async function pushThroughRobot(
  msg: Outbound,
  robot: NonNullable<DeliverContext['robot']>,
  card: (body: OutboundBody & { type: 'card' }) => Record<string, unknown>,
): Promise<string[]> {
  const body = msg.body;
  let push: RobotPushBody;
  if (body.type === 'text' || body.type === 'markdown')
    push = { msgtype: 'markdown', markdown: { content: body.content } };
  else if (body.type === 'card') push = { msgtype: 'template_card', template_card: card(body) };
  else return msg.to.kind === 'user' ? msg.to.userIds : [];
  const rest: string[] = [];
  for (const userId of msg.to.kind === 'user' ? msg.to.userIds : []) {
    // A push WeCom refuses (rate limit, a chat it no longer knows) goes to the person as an app message instead.
    const pushed = await robot.pushQueued(msg.key, userId, push).catch(() => false);
    if (!pushed) rest.push(userId);
  }
  return rest;
}

/** Send `msg` once; throws WeCom errors as they come (the outbox decides whether to retry). */
export async function deliver(msg: Outbound, ctx: DeliverContext): Promise<DeliveryResult> {
  const { api } = ctx;
  const card = (body: OutboundBody & { type: 'card' }) =>
    renderCard(body.card, { key: msg.key, fallbackUrl: ctx.cardUrl });
  const to = msg.to;
  const body = msg.body;
  switch (to.kind) {
    case 'recall':
      // Needs the msgids recorded when the messages were sent: the processor resolves them (recall.ts).
      return unsupported(msg);
    case 'user': {
      const rest = ctx.robot ? await pushThroughRobot(msg, ctx.robot, card) : to.userIds;
      if (!rest.length) return { endpoint: 'aibot_send_msg' };
      const base = { touser: rest.join('|'), agentid: Number(ctx.agentId) };
      let typed: Record<string, unknown>;
      if (body.type === 'text') typed = { msgtype: 'text', text: { content: body.content } };
      else if (body.type === 'markdown') typed = { msgtype: 'markdown', markdown: { content: body.content } };
      else if (body.type === 'card') typed = { msgtype: 'template_card', template_card: card(body) };
      else if (body.type === 'image') {
        const media = {
          filename: `${msg.purpose}.png`,
          contentType: 'image/png',
          data: Buffer.from(body.pngBase64, 'base64'),
        };
        const up = await api.call('media/upload', { query: { type: 'image' }, media });
        typed = { msgtype: 'image', image: { media_id: String(up.media_id) } };
      } else if (body.type === 'file') {
        // Uploaded at send time: a media id lasts three days, and a retried message may be older than that.
        const media = { filename: body.filename, contentType: contentTypeOf(body.filename), data: fileBytes(body) };
        const up = await api.call('media/upload', { query: { type: 'file' }, media });
        typed = { msgtype: 'file', file: { media_id: String(up.media_id) } };
      } else unsupported(msg);
      const res = await api.call('message/send', { body: { ...base, ...typed } });
      return { endpoint: 'message/send', msgid: String(res.msgid ?? ''), invaliduser: String(res.invaliduser ?? '') };
    }
    case 'webhook': {
      const key = webhookKey(to.keyEnv, ctx.env);
      let wire: Record<string, unknown>;
      if (body.type === 'text') wire = { msgtype: 'text', text: { content: body.content } };
      else if (body.type === 'markdown') wire = { msgtype: 'markdown', markdown: { content: body.content } };
      else if (body.type === 'card' && body.card.kind === 'text_notice')
        wire = { msgtype: 'template_card', template_card: card(body) };
      else if (body.type === 'image') {
        const raw = Buffer.from(body.pngBase64, 'base64');
        wire = {
          msgtype: 'image',
          image: { base64: body.pngBase64, md5: createHash('md5').update(raw).digest('hex') },
        };
      } else if (body.type === 'file') {
        const media = { filename: body.filename, contentType: contentTypeOf(body.filename), data: fileBytes(body) };
        const up = await api.call('webhook/upload_media', { query: { key, type: 'file' }, media });
        wire = { msgtype: 'file', file: { media_id: String(up.media_id) } };
      } else unsupported(msg);
      await api.call('webhook/send', { query: { key }, body: wire });
      return { endpoint: 'webhook/send' };
    }
    case 'response_url': {
      // Only the documented endpoint, on the configured host: the URL comes from a callback, and sending there
      // through WECOM_API_BASE keeps the sandbox and tests on the fake WeCom.
      const url = new URL(to.url);
      const code = url.searchParams.get('response_code');
      if (url.pathname !== '/cgi-bin/aibot/response' || !code)
        throw new PermanentSendError(`response_url ${url.pathname} is not a smart robot response_url`);
      let wire: Record<string, unknown>;
      if (body.type === 'text' || body.type === 'markdown')
        wire = { msgtype: 'markdown', markdown: { content: body.content } };
      else if (body.type === 'card') wire = { msgtype: 'template_card', template_card: card(body) };
      else unsupported(msg);
      await api.call('aibot/response', { query: { response_code: code }, body: wire });
      return { endpoint: 'aibot/response' };
    }
    case 'card_update': {
      const base = { userids: to.userIds, agentid: Number(ctx.agentId), response_code: to.responseCode };
      let update: Record<string, unknown>;
      if (body.type === 'button_replace') update = { button: { replace_name: body.replaceName } };
      else if (body.type === 'card') update = { template_card: card(body) };
      else unsupported(msg);
      const res = await api.call('message/update_template_card', { body: { ...base, ...update } });
      return {
        endpoint: 'message/update_template_card',
        invaliduser: Array.isArray(res.invaliduser) ? res.invaliduser.join('|') : '',
      };
    }
  }
}
