/**
 * Every WeCom server API the bot calls, one row each, with the page of the official documentation it follows
 * (go-workwx's `docs/apis.md`). `auth` says how a call proves who it is: the app's access_token, the group
 * robot's webhook key, the one-time code inside a smart robot's response_url, or nothing (gettoken itself).
 * Paths are relative to `WECOM_API_BASE` (https://qyapi.weixin.qq.com in production, the fake WeCom in tests).
 */
export type EndpointAuth = 'token' | 'webhook_key' | 'response_code' | 'none';

export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  auth: EndpointAuth;
  /** What the bot sends or reads through it, for the table in the README. */
  use: string;
  doc: string;
}

const D = (id: number) => `https://developer.work.weixin.qq.com/document/path/${id}`;

export const ENDPOINTS = {
  gettoken: { method: 'GET', path: '/cgi-bin/gettoken', auth: 'none', use: 'access_token of the app', doc: D(91039) },
  'message/send': {
    method: 'POST',
    path: '/cgi-bin/message/send',
    auth: 'token',
    use: 'app message to members: text, markdown, image, template_card',
    doc: D(90236),
  },
  'message/recall': {
    method: 'POST',
    path: '/cgi-bin/message/recall',
    auth: 'token',
    use: 'recall an app message by its msgid, within 24 hours of sending',
    doc: D(94867),
  },
  'message/update_template_card': {
    method: 'POST',
    path: '/cgi-bin/message/update_template_card',
    auth: 'token',
    use: 'replace the button or the card a member clicked',
    doc: D(94888),
  },
  'appchat/send': {
    method: 'POST',
    path: '/cgi-bin/appchat/send',
    auth: 'token',
    use: 'message into a group chat the app created',
    doc: D(90248),
  },
  'webhook/send': {
    method: 'POST',
    path: '/cgi-bin/webhook/send',
    auth: 'webhook_key',
    use: 'group robot: text, markdown, image{base64,md5}, template_card (text_notice)',
    doc: D(91770),
  },
  'webhook/upload_media': {
    method: 'POST',
    path: '/cgi-bin/webhook/upload_media',
    auth: 'webhook_key',
    use: 'group robot: file or voice for a later webhook/send',
    doc: D(91770),
  },
  'aibot/response': {
    method: 'POST',
    path: '/cgi-bin/aibot/response',
    auth: 'response_code',
    use: "smart robot's one-time response_url: markdown or template_card",
    doc: D(101138),
  },
  'media/upload': {
    method: 'POST',
    path: '/cgi-bin/media/upload',
    auth: 'token',
    use: 'temporary media (an image or a file for message/send), valid 3 days',
    doc: D(90253),
  },
  'checkin/getcheckindata': {
    method: 'POST',
    path: '/cgi-bin/checkin/getcheckindata',
    auth: 'token',
    use: '打卡 records of up to 100 members over up to 30 days',
    doc: D(90262),
  },
  'auth/getuserinfo': {
    method: 'GET',
    path: '/cgi-bin/auth/getuserinfo',
    auth: 'token',
    use: 'OAuth: the member behind a web-page code',
    doc: D(91023),
  },
  get_jsapi_ticket: {
    method: 'GET',
    path: '/cgi-bin/get_jsapi_ticket',
    auth: 'token',
    use: 'JS-SDK ticket of the corp (wx.config)',
    doc: D(90506),
  },
  'ticket/get': {
    method: 'GET',
    path: '/cgi-bin/ticket/get',
    auth: 'token',
    use: 'JS-SDK ticket of the app, type=agent_config (wx.agentConfig)',
    doc: D(90506),
  },
  'user/list_id': {
    method: 'POST',
    path: '/cgi-bin/user/list_id',
    auth: 'token',
    use: 'zhucun roster verify: the userids of the corp and their departments, paged',
    doc: D(96067),
  },
  'agent/get': {
    method: 'GET',
    path: '/cgi-bin/agent/get',
    auth: 'token',
    use: "zhucun roster verify: the app's visibility range (users, departments, tags)",
    doc: D(90227),
  },
  'department/simplelist': {
    method: 'GET',
    path: '/cgi-bin/department/simplelist',
    auth: 'token',
    use: 'zhucun roster verify: a department of the visibility range and those below it',
    doc: D(95350),
  },
  'user/simplelist': {
    method: 'GET',
    path: '/cgi-bin/user/simplelist',
    auth: 'token',
    use: 'zhucun roster verify, when user/list_id is refused: the members of a department of the range',
    doc: D(90200),
  },
  'tag/get': {
    method: 'GET',
    path: '/cgi-bin/tag/get',
    auth: 'token',
    use: 'zhucun roster verify: the members and departments of a tag of the visibility range',
    doc: D(90213),
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;
