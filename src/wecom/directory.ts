/**
 * What `zhucun roster verify` reads from WeCom's address book with the app's credentials: the corp's members
 * (`user/list_id`, paged) and the app's visibility range (`agent/get`, its departments expanded with
 * `department/simplelist`, its tags with `tag/get`). `user/list_id` answers only the address-book secret in
 * some corps; when WeCom refuses it, `members` is null, the range's members are read department by department
 * (`user/simplelist`) and the check judges the visibility range alone.
 */
import type { WecomApi } from './api/client.js';
import { WecomApiError } from './api/errors.js';

export interface WecomDirectory {
  /** Each member's departments by userid, or null when WeCom does not let the app read the member list. */
  members: Map<string, number[]> | null;
  /** Why `members` is null (WeCom's errcode and errmsg). */
  membersRefused?: string;
  visible: {
    users: Set<string>;
    /** The range's departments and every department below them. */
    departments: Set<number>;
  };
}

/** One page of `user/list_id` asks for this many pairs (WeCom's largest). */
const PAGE = 10_000;

export async function readDirectory(api: WecomApi, agentId: string): Promise<WecomDirectory> {
  const agent = await api.call('agent/get', { query: { agentid: agentId } });
  const users = new Set<string>(
    ((agent.allow_userinfos as { user?: { userid: string }[] } | undefined)?.user ?? []).map((u) => u.userid),
  );
  const parties: number[] = [...((agent.allow_partys as { partyid?: number[] } | undefined)?.partyid ?? [])];
  for (const tagid of (agent.allow_tags as { tagid?: number[] } | undefined)?.tagid ?? []) {
    const tag = await api.call('tag/get', { query: { tagid: String(tagid) } });
    for (const u of (tag.userlist as { userid: string }[] | undefined) ?? []) users.add(u.userid);
    parties.push(...((tag.partylist as number[] | undefined) ?? []));
  }
  const departments = new Set<number>();
  for (const id of new Set(parties)) {
    if (departments.has(id)) continue;
    const res = await api.call('department/simplelist', { query: { id: String(id) } });
    for (const d of (res.department_id as { id: number }[] | undefined) ?? []) departments.add(d.id);
  }
  const { members, refused } = await readMembers(api);
  // Without the member list nobody's departments are known: the range's departments are read member by member.
  if (!members)
    for (const id of departments) {
      const res = await api.call('user/simplelist', { query: { department_id: String(id) } });
      for (const u of (res.userlist as { userid: string }[] | undefined) ?? []) users.add(u.userid);
    }
  return { members, ...(refused ? { membersRefused: refused } : {}), visible: { users, departments } };
}

async function readMembers(api: WecomApi): Promise<{ members: Map<string, number[]> | null; refused?: string }> {
  const members = new Map<string, number[]>();
  let cursor = '';
  try {
    do {
      const res = await api.call('user/list_id', { body: { ...(cursor ? { cursor } : {}), limit: PAGE } });
      for (const p of (res.dept_user as { userid: string; department: number }[] | undefined) ?? []) {
        const list = members.get(p.userid);
        if (list) list.push(p.department);
        else members.set(p.userid, [p.department]);
      }
      cursor = typeof res.next_cursor === 'string' ? res.next_cursor : '';
    } while (cursor);
  } catch (err) {
    // 48002 (API forbidden): this secret may not list members. Anything else (a wrong secret, WeCom busy, a rate
    // limit) is no refusal of this one API: it fails the whole check.
    if (!(err instanceof WecomApiError) || err.errcode !== 48002) throw err;
    return { members: null, refused: `${err.errcode} ${err.errmsg}` };
  }
  return { members };
}
