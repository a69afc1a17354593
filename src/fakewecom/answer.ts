/**
 * The shapes shared by the fake WeCom's routes: what a route gets (parsed query, JSON body, uploaded files, the
 * state) and what it answers. WeCom answers errors with HTTP 200 and a JSON `{errcode, errmsg}`; the errmsg
 * ends with a hint and a link to the error query tool, like the real one's.
 */
import type { UploadedFile } from './multipart.js';
import type { Delivered, FakeState } from './state.js';

export interface FakeRequest {
  query: Record<string, string>;
  json: Record<string, unknown>;
  files: UploadedFile[];
  state: FakeState;
}

export interface FakeAnswer {
  status: number;
  json: Record<string, unknown>;
  delivered?: Delivered;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Token routes need a valid `access_token` query parameter before the handler runs. */
  auth: 'token' | 'none';
  handle(req: FakeRequest): FakeAnswer;
}

/** errcode 0 with the endpoint's fields. */
export function ok(fields: Record<string, unknown> = {}, errmsg = 'ok'): FakeAnswer {
  return { status: 200, json: { errcode: 0, errmsg, ...fields } };
}

/** A WeCom error answer. */
export function fail(errcode: number, text: string): FakeAnswer {
  const errmsg = `${text}, hint: [fake-wecom], more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
  return { status: 200, json: { errcode, errmsg } };
}
