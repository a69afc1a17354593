/**
 * `checkin-sync`: every 10 minutes, the WeCom 打卡 records of townships with `usesWecomCheckin` go into the
 * presence ledger. `checkin/getcheckindata` [D:90262] takes at most 100 members and 30 days a call, so the
 * window since the township's cursor (`checkinSync(township)`, unix seconds; start of today the first time) is
 * cut into such calls. Each window starts a little before the cursor because a phone that was offline uploads
 * its record late; record ids (`wecom:<userid>:<time>:<type>`) make the overlap harmless. The cursor advances
 * only after the township's records are committed, and not at all when a call failed.
 */
import { judgeCheckin, lastKnownPosition, type FenceRules } from '../attendance/checkin.js';
import type { CheckinRecord } from '../attendance/record.js';
import { fromWecomCheckin, type WecomCheckinData } from '../attendance/wecom-checkin.js';
import { localDate, startOfLocalDay } from '../kit/dates.js';
import { Tx } from '../redis/tx.js';
import type { Job, JobContext } from '../schedule/job.js';
import { hoursAfter } from '../schedule/windows.js';

export const MAX_USERS_PER_CALL = 100;
export const MAX_SPAN_S = 30 * 86_400;
/** How far before the cursor each pull starts again, for records uploaded late. */
export const OVERLAP_S = 30 * 60;

export interface TownshipPull {
  townshipId: string;
  from: number;
  to: number;
  records: WecomCheckinData[];
  /** Why the pull failed; the cursor then stays. */
  error?: string;
}

export interface SyncState {
  /** Set when there is nothing to pull from (no WeCom app configured). */
  unavailable?: string;
  pulls: TownshipPull[];
  /** Village (geofence) of each cadre of the pulled townships. */
  villages: Record<string, { lat: number; lng: number; radius?: number }>;
  /** The ledger's records of each cadre and day a pulled record falls on, key `<userid>|<date>`. */
  existing: Record<string, CheckinRecord[]>;
  rules: FenceRules;
}

export interface SyncDay {
  userId: string;
  date: string;
  /** The day's records before the sync. */
  existing: CheckinRecord[];
  /** Records the sync adds (not yet in the ledger), oldest first. */
  added: CheckinRecord[];
}

/** Judge the pulled records and keep those the ledger does not have yet, grouped by cadre and day. Pure. */
export function syncDays(state: SyncState): SyncDay[] {
  const days = new Map<string, SyncDay>();
  for (const pull of state.pulls) {
    for (const raw of pull.records) {
      const village = state.villages[raw.userid];
      const input = village && fromWecomCheckin(raw);
      if (!village || !input) continue;
      const date = localDate(input.at);
      const id = `${raw.userid}|${date}`;
      const day = days.get(id) ?? { userId: raw.userid, date, existing: state.existing[id] ?? [], added: [] };
      days.set(id, day);
      if (day.existing.some((r) => r.id === input.id) || day.added.some((r) => r.id === input.id)) continue;
      const previous = lastKnownPosition([...day.existing, ...day.added], input.at);
      day.added.push(judgeCheckin({ ...input, ...(previous ? { previous } : {}) }, village, state.rules));
    }
  }
  return [...days.values()]
    .filter((d) => d.added.length)
    .map((d) => ({ ...d, added: d.added.sort((a, b) => a.at.localeCompare(b.at)) }));
}

/** Split `[from, to]` into windows WeCom accepts. */
export function windows(from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = from; start < to; start += MAX_SPAN_S) out.push([start, Math.min(to, start + MAX_SPAN_S)]);
  return out;
}

async function pull(ctx: JobContext, userIds: string[], from: number, to: number): Promise<WecomCheckinData[]> {
  const out: WecomCheckinData[] = [];
  for (const [start, end] of windows(from, to)) {
    for (let i = 0; i < userIds.length; i += MAX_USERS_PER_CALL) {
      const body = {
        opencheckindatatype: 3,
        starttime: start,
        endtime: end,
        useridlist: userIds.slice(i, i + MAX_USERS_PER_CALL),
      };
      const res = await ctx.wecom!.call('checkin/getcheckindata', { body });
      out.push(...((res.checkindata as WecomCheckinData[] | undefined) ?? []));
    }
  }
  return out;
}

const time = (s: number) => new Date(s * 1000).toISOString();

export const checkinSync: Job<SyncState> = {
  id: 'checkin-sync',
  policyJob: 'checkinSync',
  summary: 'pull WeCom 打卡 records into the presence ledger',
  // Any run pulls everything since the cursor; a missed one is worth making up until the next is due.
  catchUpUntil: (slot) => hoursAfter(slot, 1 / 6),

  async load(ctx, now) {
    const rules = {
      defaultRadius: ctx.policy.checkin.geofenceRadiusMetres,
      selfReported: ctx.policy.checkin.selfReported,
      maxSpeedKmh: ctx.policy.checkin.maxSpeedKmh,
    };
    const roster = await ctx.roster.get();
    const townships = roster.data.townships.filter((t) => t.usesWecomCheckin);
    const state: SyncState = { pulls: [], villages: {}, existing: {}, rules };
    if (!townships.length) return state;
    if (!ctx.wecom)
      return { ...state, unavailable: 'no WeCom app configured (WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_APP_SECRET)' };
    const to = Math.floor(now.getTime() / 1000);
    const dayStart = Math.floor(startOfLocalDay(localDate(now)).getTime() / 1000);
    for (const t of townships) {
      const cadres = roster.cadresOfTownship(t.id);
      if (!cadres.length) continue;
      for (const c of cadres) state.villages[c.userid] = roster.villageOf(c);
      const cursor = await ctx.redis.get(ctx.keys.checkinSync(t.id));
      const from = Math.min(to, cursor === null ? dayStart : Number(cursor) - OVERLAP_S);
      try {
        state.pulls.push({
          townshipId: t.id,
          from,
          to,
          records: await pull(
            ctx,
            cadres.map((c) => c.userid),
            from,
            to,
          ),
        });
      } catch (err) {
        ctx.log.error({ township: t.id, err }, 'WeCom 打卡 pull failed; the cursor stays');
        state.pulls.push({
          townshipId: t.id,
          from,
          to,
          records: [],
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    // The days the records fall on, read once each so the ledger keeps what is already there.
    const ledger = ctx.repos.checkins;
    const days = new Map<string, [string, string]>();
    for (const r of state.pulls.flatMap((p) => p.records)) {
      const date = localDate(new Date(r.checkin_time * 1000));
      if (state.villages[r.userid]) days.set(`${r.userid}|${date}`, [r.userid, date]);
    }
    const read = await Promise.all([...days.values()].map(([u, d]) => ledger.day(u, d)));
    [...days.keys()].forEach((id, i) => (state.existing[id] = read[i]!));
    return state;
  },

  plan: () => [],

  writes: {
    describe(_now, state) {
      if (state.unavailable) return [`nothing pulled: ${state.unavailable}`];
      const added = syncDays(state);
      return state.pulls.map((p) => {
        if (p.error) return `${p.townshipId}: pull ${time(p.from)} – ${time(p.to)} failed: ${p.error}`;
        const users = new Set(p.records.map((r) => r.userid));
        const n = added.filter((d) => users.has(d.userId)).reduce((sum, d) => sum + d.added.length, 0);
        return `${p.townshipId}: ${p.records.length} records ${time(p.from)} – ${time(p.to)}, ${n} new check-ins`;
      });
    },
    async apply(ctx, _now, state) {
      const ledger = ctx.repos.checkins;
      const tx = new Tx();
      for (const day of syncDays(state)) {
        let records = day.existing;
        for (const r of day.added) if (ledger.add(tx, day.userId, day.date, records, r)) records = [...records, r];
      }
      // The cursors commit last, so a crash before them repeats the pull instead of skipping records.
      for (const p of state.pulls) if (!p.error) tx.last(['set', ctx.keys.checkinSync(p.townshipId), String(p.to)]);
      await tx.commit(ctx.redis);
    },
  },
};
