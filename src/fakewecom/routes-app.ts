/**
 * The fake WeCom's self-built-app endpoints, with the request checks and answer fields of each page cited.
 * Tokens, media ids, codes and tickets expire by the fake's clock.
 */
import { fail, ok, type FakeRequest, type Route } from './answer.js';
import type { FakeDirectory, FakeState } from './state.js';
import { appMessageProblem } from './validate.js';

const INTERACTIVE = ['button_interaction', 'vote_interaction', 'multiple_interaction'];
const DAY_S = 86_400;

function mediaValid(state: FakeState) {
  return (id: string) => (state.media.get(id)?.expiresAt ?? 0) > state.now();
}

/** `gettoken` [D:91039]: "有效期内重复获取返回相同结果" — the same token while it is valid. */
function gettoken({ query, state }: FakeRequest) {
  const { corpId, secret, tokenTtlS } = state.config;
  if (!query.corpid) return fail(41002, 'corpid missing');
  if (!query.corpsecret) return fail(41004, 'corpsecret missing');
  if (query.corpid !== corpId) return fail(40013, 'invalid corpid');
  if (query.corpsecret !== secret) return fail(40001, 'invalid credential');
  const now = state.now();
  if (!state.token || state.token.expiresAt <= now) {
    state.token = { value: state.id('fake-token-'), expiresAt: now + tokenTtlS * 1000 };
    state.tokens.set(state.token.value, state.token.expiresAt);
  }
  return ok({ access_token: state.token.value, expires_in: Math.floor((state.token.expiresAt - now) / 1000) });
}

/** `message/send` [D:90236]: partly invalid recipients still send; all invalid is 81013. */
function messageSend({ json: b, state }: FakeRequest) {
  if (String(b.agentid) !== state.config.agentId) return fail(40056, 'invalid agentid');
  const users = String(b.touser ?? '')
    .split('|')
    .filter(Boolean);
  if (users.length > 1000) return fail(40032, 'invalid userid list size');
  const known = state.config.knownUsers;
  const invalid = known ? users.filter((u) => u !== '@all' && !known.has(u)) : [];
  const valid = users.filter((u) => !invalid.includes(u));
  if (!valid.length && !b.toparty && !b.totag) return fail(81013, 'user & party & tag all invalid');
  const problem = appMessageProblem(b, mediaValid(state));
  if (problem) return fail(problem.errcode, problem.text);
  // Over 30 messages a minute to one member: WeCom accepts the call and drops the excess silently [D:90454].
  const to: string[] = [];
  const dropped: string[] = [];
  for (const u of valid) (state.countCall(`member:${u}`, state.config.memberPerMinute) ? to : dropped).push(u);
  const card = b.template_card as { card_type?: string } | undefined;
  const interactive = b.msgtype === 'template_card' && INTERACTIVE.includes(String(card?.card_type));
  const delivered = state.deliver({ channel: 'app', to, dropped, msgtype: String(b.msgtype), payload: b });
  const msgid = state.id('msg');
  state.messages.set(msgid, { at: delivered.at, seq: delivered.seq });
  const answer = ok({
    invaliduser: invalid.join('|'),
    invalidparty: '',
    invalidtag: '',
    unlicenseduser: '',
    msgid,
    ...(interactive ? { response_code: state.issueCode(state.cardCodes, 3 * DAY_S) } : {}),
  });
  return { ...answer, delivered };
}

/** `message/recall` [D:94867]: an app message by its msgid, once, within 24 hours of sending. */
function messageRecall({ json: b, state }: FakeRequest) {
  const msgid = typeof b.msgid === 'string' ? b.msgid : '';
  const sent = state.messages.get(msgid);
  if (!sent || state.recalled.includes(msgid)) return fail(40058, 'invalid msgid. invalid Request Parameter');
  if (state.now() - sent.at > DAY_S * 1000) return fail(40058, 'msgid older than 24 hours. invalid Request Parameter');
  state.recalled.push(msgid);
  // Shown like WeCom shows it: the recipients' chats say the message was withdrawn (the sandbox follows this).
  const original = state.delivered.find((d) => d.seq === sent.seq);
  const card = original?.payload.template_card as { task_id?: string } | undefined;
  const delivered = state.deliver({
    channel: 'recall',
    to: original?.to ?? [],
    dropped: [],
    msgtype: 'recall',
    payload: { msgid, ...(card?.task_id ? { task_id: card.task_id } : {}) },
  });
  return { ...ok(), delivered };
}

/** `message/update_template_card` [D:94888]: one update per response_code, within 72 hours. */
function updateCard({ json: b, state }: FakeRequest) {
  if (String(b.agentid) !== state.config.agentId) return fail(40056, 'invalid agentid');
  if (typeof b.response_code !== 'string' || !state.useCode(state.cardCodes, b.response_code)) {
    return fail(40058, 'invalid response_code. invalid Request Parameter');
  }
  const button = b.button as { replace_name?: string } | undefined;
  if (!button?.replace_name && !b.template_card)
    return fail(40058, 'button or template_card required. invalid Request Parameter');
  const userids = Array.isArray(b.userids) ? b.userids.map(String) : [];
  const known = state.config.knownUsers;
  const invaliduser = known ? userids.filter((u) => !known.has(u)) : [];
  const to = userids.filter((u) => !invaliduser.includes(u));
  const msgtype = button?.replace_name ? 'update_button' : 'update_template_card';
  const delivered = state.deliver({ channel: 'card_update', to, dropped: [], msgtype, payload: b });
  return { ...ok({ invaliduser }), delivered };
}

/** `appchat/send` [D:90248]: template cards are not among its message types. */
function appchatSend({ json: b, state }: FakeRequest) {
  if (typeof b.chatid !== 'string' || !b.chatid) return fail(40058, 'chatid required. invalid Request Parameter');
  if (b.msgtype === 'template_card') return fail(40008, 'invalid message type template_card');
  const problem = appMessageProblem(b, mediaValid(state));
  if (problem) return fail(problem.errcode, problem.text);
  const delivered = state.deliver({
    channel: 'appchat',
    to: [b.chatid],
    dropped: [],
    msgtype: String(b.msgtype),
    payload: b,
  });
  return { ...ok(), delivered };
}

/** `media/upload` [D:90253]: multipart field "media", more than 5 bytes, media_id valid 3 days. */
function mediaUpload({ query, files, state }: FakeRequest) {
  const type = query.type ?? '';
  if (!['image', 'voice', 'video', 'file'].includes(type)) return fail(40005, 'invalid type');
  const file = files.find((f) => f.name === 'media');
  if (!file) return fail(44001, 'empty media data');
  const limit = type === 'voice' ? 2 : type === 'file' ? 20 : 10;
  if (file.data.length <= 5 || file.data.length > limit * 1024 * 1024) return fail(40006, 'invalid file size');
  const media_id = state.id('media-');
  state.media.set(media_id, { type, expiresAt: state.now() + 3 * DAY_S * 1000, data: file.data });
  return ok({ type, media_id, created_at: String(Math.floor(state.now() / 1000)) }, '');
}

/** `checkin/getcheckindata` [D:90262]: ≤100 members, span ≤30 days, type 1 上下班 / 2 外出 / 3 全部. */
function getCheckinData({ json: b, state }: FakeRequest) {
  const type = Number(b.opencheckindatatype);
  const start = Number(b.starttime);
  const end = Number(b.endtime);
  const users = Array.isArray(b.useridlist) ? b.useridlist.map(String) : [];
  if (![1, 2, 3].includes(type)) return fail(40058, 'opencheckindatatype invalid. invalid Request Parameter');
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start || end - start > 30 * DAY_S) {
    return fail(40058, 'starttime/endtime invalid or span over 30 days. invalid Request Parameter');
  }
  if (users.length < 1 || users.length > 100)
    return fail(40058, 'useridlist needs 1 to 100 members. invalid Request Parameter');
  const kinds = type === 1 ? ['上班打卡', '下班打卡'] : type === 2 ? ['外出打卡'] : null;
  const checkindata = state.checkins.filter(
    (r) =>
      users.includes(r.userid) &&
      r.checkin_time >= start &&
      r.checkin_time <= end &&
      (!kinds || kinds.includes(r.checkin_type)),
  );
  return ok({ checkindata });
}

/** `auth/getuserinfo` [D:91023]: a code is used once and expires after 5 minutes. */
function getUserInfo({ query, state }: FakeRequest) {
  const entry = state.useCode(state.oauthCodes, query.code ?? '');
  return entry ? ok({ userid: entry.value }) : fail(40029, 'invalid code');
}

/** JS-SDK tickets [D:90506]: the same ticket while it is valid. */
function ticket(kind: 'corp' | 'agent') {
  return ({ query, state }: FakeRequest) => {
    if (kind === 'agent' && query.type !== 'agent_config')
      return fail(40058, 'invalid type. invalid Request Parameter');
    const now = state.now();
    let t = state.tickets.get(kind);
    if (!t || t.expiresAt <= now) {
      t = { value: state.id(`fake-${kind}-ticket-`), expiresAt: now + state.config.tokenTtlS * 1000 };
      state.tickets.set(kind, t);
    }
    return ok({ ticket: t.value, expires_in: Math.floor((t.expiresAt - now) / 1000) });
  };
}

/** The configured address book, or `knownUsers` in department 1 with the app seeing department 1. */
function directoryOf(state: FakeState): FakeDirectory {
  const d = state.config.directory;
  if (d) return d;
  return {
    members: [...(state.config.knownUsers ?? [])].map((userid) => ({ userid, department: [1] })),
    departments: [{ id: 1, parentid: 0 }],
    tags: [],
    visible: { users: [], parties: [1], tags: [] },
  };
}

/**
 * `user/list_id` [D:96067]: userid and department pairs, one per department of a member, paged by an opaque
 * cursor (limit 1–10000); an empty `next_cursor` says there is no more.
 */
function listId({ json: b, state }: FakeRequest) {
  if (state.config.directory?.listIdRefused) return fail(48002, 'api forbidden');
  const limit = b.limit === undefined ? 10_000 : Number(b.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    return fail(40058, 'limit must be 1 to 10000. invalid Request Parameter');
  const pairs = directoryOf(state).members.flatMap((m) =>
    m.department.map((department) => ({ userid: m.userid, department })),
  );
  const cursor = typeof b.cursor === 'string' && b.cursor ? b.cursor : '';
  const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > pairs.length) return fail(40058, 'invalid cursor');
  const end = Math.min(start + limit, pairs.length);
  const next_cursor = end < pairs.length ? Buffer.from(String(end)).toString('base64url') : '';
  return ok({ next_cursor, dept_user: pairs.slice(start, end) });
}

/** `agent/get` [D:90227]: the app's details, among them its visibility range (users, departments, tags). */
function agentGet({ query, state }: FakeRequest) {
  if (query.agentid !== state.config.agentId) return fail(40056, 'invalid agentid');
  const { visible } = directoryOf(state);
  return ok({
    agentid: Number(state.config.agentId),
    name: '驻村助手',
    allow_userinfos: { user: visible.users.map((userid) => ({ userid })) },
    allow_partys: { partyid: visible.parties },
    allow_tags: { tagid: visible.tags },
    close: 0,
  });
}

/** `department/simplelist` [D:95350]: the department `id` and every department below it (all without `id`). */
function departmentSimplelist({ query, state }: FakeRequest) {
  const all = directoryOf(state).departments;
  if (query.id === undefined || query.id === '') return ok({ department_id: all });
  const root = Number(query.id);
  if (!all.some((d) => d.id === root)) return fail(60123, 'invalid party id');
  const out = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of all)
      if (out.has(d.parentid) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
  }
  return ok({ department_id: all.filter((d) => out.has(d.id)) });
}

/** `user/simplelist` [D:90200]: the members directly in one department. */
function userSimplelist({ query, state }: FakeRequest) {
  const d = directoryOf(state);
  const id = Number(query.department_id);
  if (!d.departments.some((x) => x.id === id)) return fail(60123, 'invalid party id');
  const userlist = d.members
    .filter((m) => m.department.includes(id))
    .map((m) => ({ userid: m.userid, name: m.name ?? m.userid, department: m.department }));
  return ok({ userlist });
}

/** `tag/get` [D:90213]: a tag's members and departments. */
function tagGet({ query, state }: FakeRequest) {
  const tag = directoryOf(state).tags.find((t) => String(t.tagid) === query.tagid);
  if (!tag) return fail(40068, 'invalid tagid');
  return ok({
    tagname: `tag ${tag.tagid}`,
    userlist: tag.users.map((userid) => ({ userid })),
    partylist: tag.parties,
  });
}

export const appRoutes: Record<string, Route> = {
  '/cgi-bin/user/list_id': { method: 'POST', auth: 'token', handle: listId },
  '/cgi-bin/agent/get': { method: 'GET', auth: 'token', handle: agentGet },
  '/cgi-bin/department/simplelist': { method: 'GET', auth: 'token', handle: departmentSimplelist },
  '/cgi-bin/tag/get': { method: 'GET', auth: 'token', handle: tagGet },
  '/cgi-bin/user/simplelist': { method: 'GET', auth: 'token', handle: userSimplelist },
  '/cgi-bin/gettoken': { method: 'GET', auth: 'none', handle: gettoken },
  '/cgi-bin/message/send': { method: 'POST', auth: 'token', handle: messageSend },
  '/cgi-bin/message/recall': { method: 'POST', auth: 'token', handle: messageRecall },
  '/cgi-bin/message/update_template_card': { method: 'POST', auth: 'token', handle: updateCard },
  '/cgi-bin/appchat/send': { method: 'POST', auth: 'token', handle: appchatSend },
  '/cgi-bin/media/upload': { method: 'POST', auth: 'token', handle: mediaUpload },
  '/cgi-bin/checkin/getcheckindata': { method: 'POST', auth: 'token', handle: getCheckinData },
  '/cgi-bin/auth/getuserinfo': { method: 'GET', auth: 'token', handle: getUserInfo },
  '/cgi-bin/get_jsapi_ticket': { method: 'GET', auth: 'token', handle: ticket('corp') },
  '/cgi-bin/ticket/get': { method: 'GET', auth: 'token', handle: ticket('agent') },
};
