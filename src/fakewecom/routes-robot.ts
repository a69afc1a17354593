/**
 * The fake WeCom's robot endpoints: the group robot's webhook (send and upload_media) [D:91770] and the smart
 * robot's one-time response_url [D:101138]. Neither uses an access_token: the webhook key and the
 * response_code in the query are the credentials.
 */
import { fail, ok, type FakeRequest, type Route } from './answer.js';
import { cardProblem, webhookMessageProblem } from './validate.js';

const DAY_MS = 86_400_000;

function webhookKeyProblem({ query, state }: FakeRequest) {
  const key = query.key ?? '';
  const allowed = state.config.webhookKeys;
  // 93000: the webhook URL is invalid or the robot was removed from the group.
  return !key || (allowed && !allowed.has(key)) ? fail(93000, 'invalid webhook url') : null;
}

/** `webhook/send`: 20 messages a minute per robot, failed ones included; over it is 45009 [D:91770]. */
function webhookSend(req: FakeRequest) {
  const refused = webhookKeyProblem(req);
  if (refused) return refused;
  const { query, json: b, state } = req;
  const key = query.key!;
  if (!state.countCall(`webhook:${key}`, state.config.webhookPerMinute)) return fail(45009, 'api freq out of limit');
  const problem = webhookMessageProblem(b, (id) => {
    const m = state.media.get(id);
    return !!m && m.key === key && m.expiresAt > state.now();
  });
  if (problem) return fail(problem.errcode, problem.text);
  const delivered = state.deliver({
    channel: 'webhook',
    to: [key],
    dropped: [],
    msgtype: String(b.msgtype),
    payload: b,
  });
  return { ...ok(), delivered };
}

/** `webhook/upload_media`: type file (≤20 MB) or voice (≤2 MB); the media_id is valid 3 days for that key only. */
function webhookUpload(req: FakeRequest) {
  const refused = webhookKeyProblem(req);
  if (refused) return refused;
  const { query, files, state } = req;
  const type = query.type ?? '';
  if (type !== 'file' && type !== 'voice') return fail(40005, 'invalid type');
  const file = files.find((f) => f.name === 'media');
  if (!file) return fail(44001, 'empty media data');
  const limit = (type === 'voice' ? 2 : 20) * 1024 * 1024;
  if (file.data.length <= 5 || file.data.length > limit) return fail(40006, 'invalid file size');
  const media_id = state.id('wh-media-');
  state.media.set(media_id, { type, key: query.key, expiresAt: state.now() + 3 * DAY_MS, data: file.data });
  return ok({ type, media_id, created_at: String(Math.floor(state.now() / 1000)) });
}

/**
 * `aibot/response?response_code=`: markdown or template_card, once per code, within an hour. The page names no
 * errcode for a used or expired code; the fake answers the generic parameter error.
 */
function robotResponse({ query, json: b, state }: FakeRequest) {
  if (!state.useCode(state.robotCodes, query.response_code ?? '')) {
    return fail(40058, 'response_code invalid, used or expired. invalid Request Parameter');
  }
  if (b.msgtype === 'markdown') {
    const content = (b.markdown as { content?: string } | undefined)?.content;
    if (!content) return fail(44004, 'empty content');
  } else if (b.msgtype === 'template_card') {
    const problem = cardProblem(b.template_card, 'robot');
    if (problem) return fail(problem.errcode, problem.text);
  } else {
    return fail(40008, `invalid message type ${String(b.msgtype)}`);
  }
  const to = [query.response_code!];
  const delivered = state.deliver({ channel: 'response_url', to, dropped: [], msgtype: String(b.msgtype), payload: b });
  return { ...ok(), delivered };
}

export const robotRoutes: Record<string, Route> = {
  '/cgi-bin/webhook/send': { method: 'POST', auth: 'none', handle: webhookSend },
  '/cgi-bin/webhook/upload_media': { method: 'POST', auth: 'none', handle: webhookUpload },
  '/cgi-bin/aibot/response': { method: 'POST', auth: 'none', handle: robotResponse },
};
