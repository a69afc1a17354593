/**
 * Every Redis key the bot uses is built here, and nowhere else.
 *
 * Keys carry a hash tag (the part in braces) so that Redis Cluster puts all keys of one cadre in one slot: a
 * command's writes about one person commit in one MULTI even on a cluster. Shared documents (the roster,
 * counters, announcements) have their own tags. `ns` separates deployments and test files that share a server.
 */
export class Keys {
  constructor(readonly ns = 'zc') {}

  private key(tag: string, ...parts: (string | number)[]): string {
    // Concatenated rather than joined from a new array: several keys are made on every callback.
    let key = `${this.ns}:{${tag}}`;
    for (const part of parts) key += `:${part}`;
    return key;
  }

  /** The hash tag of one person's keys; exposed so callers can group work per slot. */
  userTag(userId: string): string {
    return `u:${userId}`;
  }

  private user(userId: string, ...parts: (string | number)[]): string {
    return this.key(this.userTag(userId), ...parts);
  }

  // ---- callbacks -------------------------------------------------------------------------------------------
  /** The committed outcome of one update (its reply and outbound messages), kept for de-duplication. */
  seen(userId: string, updateId: string): string {
    return this.user(userId, 'seen', updateId);
  }
  /**
   * The relay stream (transactional outbox): messages committed with an update wait here until they are handed
   * to the sending queue. One stream on a single server; on a cluster one per person, in the slot of the
   * update's de-duplication record (`seen`), so the commit stays one script.
   */
  relay(userId?: string): string {
    return userId === undefined ? this.key('outbox', 'relay') : this.user(userId, 'relay');
  }
  /** Pattern matching every relay stream (a cluster's relay finds the per-person ones by SCAN). */
  relayPattern(): string {
    return `${this.ns}:{*}:relay`;
  }

  /**
   * The questions the bot asked this person and waits on (请问请什么假、哪几天？): hash chat → JSON, one field per
   * chat (the app chat, each group), so an answer in one chat never completes another's question.
   */
  questions(userId: string): string {
    return this.user(userId, 'questions');
  }

  // ---- roster ----------------------------------------------------------------------------------------------
  /** The whole roster as one JSON document, replaced atomically on import. */
  roster(): string {
    return this.key('roster', 'doc');
  }
  /** The roster document's version (its SHA-1), written with it: instances revalidate their cache by it. */
  rosterVersion(): string {
    return this.key('roster', 'version');
  }

  // ---- counters for short numbers (Q1024, B12, H77, N5) ------------------------------------------------------
  sequence(name: 'leave' | 'backfill' | 'report' | 'announce' | 'visit' | 'problem' | 'assess'): string {
    return this.key('seq', name);
  }
  /** Which user owns a numbered item, so `同意 Q1024` finds the request without a scan. */
  owner(name: 'leave' | 'backfill' | 'report'): string {
    return this.key('owner', name);
  }

  // ---- attendance ------------------------------------------------------------------------------------------
  /** Presence bitmap of one cadre and year: bit n = n-th day of the year (0 = 1 January), set = present. */
  presence(userId: string, year: number): string {
    return this.user(userId, 'presence', year);
  }
  /** Days whose only counting check-in was self-reported (a location message). */
  selfReported(userId: string, year: number): string {
    return this.user(userId, 'selfrep', year);
  }
  /** Days with a self-reported location waiting for confirmation and nothing yet counting. */
  selfReportPending(userId: string, year: number): string {
    return this.user(userId, 'selfpend', year);
  }
  /** Per-day check-in detail of one month: hash field YYYY-MM-DD → JSON array of check-ins. */
  checkins(userId: string, month: string): string {
    return this.user(userId, 'checkins', month);
  }
  /** Back-fill requests of one cadre: hash number → JSON. */
  backfills(userId: string): string {
    return this.user(userId, 'backfills');
  }
  /** WeCom 打卡 sync cursor per township. */
  checkinSync(townshipId: string): string {
    return this.key('sync', townshipId);
  }

  /** A check-in page session: token → userid, short-lived. */
  checkinSession(token: string): string {
    return this.key(`page:${token}`, 'session');
  }
  /** An OAuth `state` nonce issued for one opening of the check-in page, short-lived and used once. */
  checkinState(nonce: string): string {
    return this.key(`page:${nonce}`, 'state');
  }
  /** A dashboard session, by the SHA-256 of the id its cookie carries (the id itself is never stored). */
  dashSession(idHash: string): string {
    return this.key(`dash:${idHash}`, 'session');
  }
  /** The outcome of exchanging one WeCom OAuth code (userid, pending or refused), for the code's life. */
  oauthCode(code: string): string {
    return this.key(`code:${code}`, 'oauth');
  }
  /** Prefix of a per-client request counter (`rate-limiter-flexible` appends the client address). */
  rateLimit(name: string): string {
    return this.key(`rl:${name}`);
  }

  // ---- leave -----------------------------------------------------------------------------------------------
  /** Leave requests of one cadre: hash number → JSON. */
  leaves(userId: string): string {
    return this.user(userId, 'leaves');
  }
  /**
   * The approved leave of one cadre, as the figures read it: hash number → compact entry (src/leave/day-index.ts),
   * kept by `LeaveRepo.save` with every decision. Derived from `leaves`; rebuilt by migration step 4.
   */
  leaveDays(userId: string): string {
    return this.user(userId, 'leavedays');
  }
  /**
   * A token every writer of a `leaveDays` index replaces when it writes there: a process that read a cadre's
   * index under the token keeps it and reads it again only once the token changed (src/attendance/bulk-read.ts).
   */
  leaveVersion(): string {
    return this.key('leave', 'version');
  }
  /** Pending approvals waiting on one approver: set of leave/back-fill numbers. */
  inbox(userId: string): string {
    return this.user(userId, 'inbox');
  }
  /** Self-reported locations waiting on one confirmer: set of request ids. */
  reviewInbox(userId: string): string {
    return this.user(userId, 'reviews');
  }

  // ---- reports ---------------------------------------------------------------------------------------------
  /** Work reports of one cadre: hash number → JSON. */
  reports(userId: string): string {
    return this.user(userId, 'reports');
  }
  /**
   * Photos attached to one cadre's reports: hash `<reportNo>:<updateId>` → JSON. A hash of its own because WeCom
   * delivers each photo as a separate callback, often at the same moment; HSET of distinct fields loses none.
   */
  reportImages(userId: string): string {
    return this.user(userId, 'reportimages');
  }
  /** The report an image sent in the app chat attaches to (short expiry). */
  lastReport(userId: string): string {
    return this.user(userId, 'lastreport');
  }

  // ---- announcements ---------------------------------------------------------------------------------------
  announcement(no: string): string {
    return this.key(`ann:${no}`, 'doc');
  }
  announcementReads(no: string): string {
    return this.key(`ann:${no}`, 'read');
  }
  announcements(): string {
    return this.key('ann', 'index');
  }
  /** The sender's announcement waiting for 确认发送 (one per sender, expires). */
  announceDraft(userId: string): string {
    return this.user(userId, 'anndraft');
  }

  // ---- numbered notices (提醒单 T2026-001, 整改单 Z…, 警示单 J…) --------------------------------------------------
  /** The counter of one kind's numbers in one year (`T`, `Z` or `J`). */
  noticeSequence(prefix: string, year: number): string {
    return this.key('notices', 'seq', prefix, year);
  }
  /** One notice: hash field `doc` → JSON. */
  notice(no: string): string {
    return this.key('notices', 'n', no);
  }
  /** Every notice: sorted set number → issue time (ms), for a period's list. */
  noticesAll(): string {
    return this.key('notices', 'all');
  }
  /** The numbers of one person's notices. */
  noticesOfUser(userId: string): string {
    return this.key('notices', 'user', userId);
  }
  /** Notices waiting for an answer or a decision. */
  noticesOpen(): string {
    return this.key('notices', 'open');
  }
  /** What issued each notice: hash trigger id → number, so a trigger issues once. */
  noticeTriggers(): string {
    return this.key('notices', 'triggers');
  }

  // ---- problem ledger (民情台账) -------------------------------------------------------------------------------
  // One hash tag for all of them, so a step's writes (the record and both indexes) are one script on a cluster.
  /** One problem (P1001): hash field `doc` → JSON. */
  problem(no: string): string {
    return this.key('problems', 'p', no);
  }
  /** Numbers of every problem of one village, open and closed. */
  problemsOfVillage(villageId: string): string {
    return this.key('problems', 'village', villageId);
  }
  /** Numbers of the problems not closed yet. */
  problemsOpen(): string {
    return this.key('problems', 'open');
  }

  // ---- sending ---------------------------------------------------------------------------------------------
  /** Cached access token of one app, shared by all instances. */
  accessToken(corpId: string, agentId: string): string {
    return this.key('wecom', 'token', corpId, agentId);
  }
  /** Lock so only one instance refreshes a token (or a ticket) at a time. */
  tokenLock(corpId: string, agentId: string, what = 'token'): string {
    return this.key('wecom', 'lock', what, corpId, agentId);
  }
  /** Cached JS-SDK ticket (`jsapi` of the corp or `agent_config` of the app). */
  jsTicket(corpId: string, agentId: string, kind: 'corp' | 'agent'): string {
    return this.key('wecom', 'ticket', kind, corpId, agentId);
  }
  /** Per-target token bucket (a webhook key, a member, the whole app). */
  rateBucket(target: string): string {
    return this.key(`rl:${target}`, 'bucket');
  }
  /**
   * Set right after WeCom accepted the outbound message with this idempotency key; checked before every send.
   * Its hash tag is the idempotency key, so markers spread over a cluster.
   */
  outboxSent(key: string): string {
    return this.key(`ob:${key}`, 'sent');
  }
  /** Set by a recall that came before the message was sent: the message is then never sent. */
  outboxCancelled(key: string): string {
    return this.key(`ob:${key}`, 'cancelled');
  }
  /** BullMQ prefix: the hash tag keeps all of a queue's keys in one slot, as BullMQ needs on a cluster. */
  queuePrefix(): string {
    return `${this.ns}:{outbox}`;
  }
  /** Per-person push counts of one day (burden budget): hash userId → count. */
  pushBudget(date: string): string {
    return this.key('burden', 'push', date);
  }
  /** What was pushed to each person, and which reminders were dropped, month by month (burden figures). */
  pushLog(month: string): string {
    return this.key('burden', 'log', month);
  }
  /** Reminders dropped because of quiet hours or the budget, per day. */
  pushDropped(date: string): string {
    return this.key('burden', 'dropped', date);
  }

  // ---- schedule --------------------------------------------------------------------------------------------
  /** Record that a scheduled run (job id + slot time) happened, for once-only and catch-up. */
  jobRun(jobId: string, slot: string): string {
    return this.key('jobs', 'run', jobId, slot);
  }
  jobLast(jobId: string): string {
    return this.key('jobs', 'last', jobId);
  }
  /** A cadre's answers to rectification notices (整改说明): hash month → JSON. */
  rectifyReplies(userId: string): string {
    return this.user(userId, 'rectify');
  }
  /** Once-per-stage record of the warning ladder: hash `<userId>:<month>:<stage>` → time. */
  warnings(): string {
    return this.key('jobs', 'warnings');
  }

  // ---- operations ------------------------------------------------------------------------------------------
  /** The audit trail: an append-only stream of who decided what (src/audit/trail.ts). */
  audit(): string {
    return this.key('audit', 'stream');
  }

  // ---- roster lifecycle ------------------------------------------------------------------------------------
  /**
   * Assignment history: hash userid → JSON array of periods in post (src/roster/assignments.ts). Same hash tag
   * as the roster document, so an import writes both in one transaction.
   */
  assignments(): string {
    return this.key('roster', 'assignments');
  }
  /**
   * A token every writer of `assignments()` replaces when it writes there: a process that read every history keeps
   * them and reads them again only once the token changed (src/attendance/bulk-read.ts).
   */
  assignmentsVersion(): string {
    return this.key('roster', 'assignments-version');
  }

  // ---- policy history and closed months ---------------------------------------------------------------------
  /** Every registered policy version: hash version id (hash of its values) → JSON (src/policy/history.ts). */
  policyVersions(): string {
    return this.key('policy', 'versions');
  }
  /** Closed months: hash `YYYY-MM` → JSON of how it was closed (same slot as the versions, checked together). */
  closedMonths(): string {
    return this.key('policy', 'closed');
  }
  /** The figures a month was closed with: hash userid → JSON (src/close/store.ts). */
  closedFigures(month: string): string {
    return this.key(`close:${month}`, 'figures');
  }
  /** Held while one process closes a month, so two closers never interleave. */
  closeLock(month: string): string {
    return this.key(`close:${month}`, 'lock');
  }

  // ---- operator alerts (src/alerts) ---------------------------------------------------------------------------
  // One hash tag for all of them: the rate-limit script touches a state hash, the pending set and a seen-marker.
  /** Rate-limit state of one alert (kind + key): hash `until`, `sent`, `repeats`, `last` (JSON of the latest). */
  alertState(kind: string, key: string): string {
    return this.key('alerts', 'state', kind, key);
  }
  /** Alerts whose window has repeats to summarise: sorted set `<kind>\n<key>` → end of the window (ms). */
  alertPending(): string {
    return this.key('alerts', 'pending');
  }
  /** Marks one occurrence of an alert (a job's slot) as counted, so it is raised once however often it is seen. */
  alertSeen(kind: string, key: string, occurrence: string): string {
    return this.key('alerts', 'seen', kind, key, occurrence);
  }
  /** Since when each scheduled job is watched for missed slots: hash job id → JSON `{ expr, since }`. */
  alertWatchSince(): string {
    return this.key('alerts', 'since');
  }

  // ---- leases (src/redis/lease.ts) ----------------------------------------------------------------------------
  /** Held by the one instance that runs `name` (e.g. the long connection): its token, with a TTL. */
  lease(name: string): string {
    return this.key(`lease:${name}`, 'holder');
  }
  /** Incremented at every acquisition of lease `name` (a fencing number); same slot as the lease. */
  leaseFence(name: string): string {
    return this.key(`lease:${name}`, 'fence');
  }

  // ---- the store itself ------------------------------------------------------------------------------------
  /** What this namespace holds, `sandbox` or `production`, written at first start; the other mode refuses it. */
  storeKind(): string {
    return this.key('store', 'kind');
  }

  // ---- schema version and migrations (src/migrate/) ---------------------------------------------------------
  /**
   * The schema version of the stored data, JSON `{ version, minReader, migratedAt, by }` (absent: version 0, data
   * of the release before versioning). Same hash tag as the migration lock, so both change in one script.
   */
  schemaVersion(): string {
    return this.key('store', 'schema');
  }
  /** Held (SET NX PX, a token) by the one instance running the migrations; renewed while it runs. */
  migrateLock(): string {
    return this.key('store', 'migrating');
  }

  // ---- assessment (考评) -------------------------------------------------------------------------------------
  // One hash tag for a round and everything in it, so a 评议 answer or a grade commits in one script.
  /** The assessment rounds: hash round id → JSON. */
  assessRounds(): string {
    return this.key('assess', 'rounds');
  }
  /** The id of the round not yet closed, if any. */
  assessCurrent(): string {
    return this.key('assess', 'current');
  }
  /** A round's cadres: hash userid → JSON (述职, grades, final grade, 复核). */
  assessEntries(round: string): string {
    return this.key('assess', 'entries', round);
  }
  /** A round's 评议 codes: hash SHA-256 of the code → JSON (village, validity, the answer once given). */
  assessCodes(round: string): string {
    return this.key('assess', 'codes', round);
  }
  /** A round's paper ballots entered by the townships: hash batch id → JSON. */
  assessPaper(round: string): string {
    return this.key('assess', 'paper', round);
  }

  // ---- visits (到村调研) -------------------------------------------------------------------------------------
  /** One visitor's visits: hash number → JSON. */
  visits(userId: string): string {
    return this.user(userId, 'visits');
  }
  /** Visits of one village: sorted set `<userid>|<number>` by time (ms). */
  visitsOfVillage(villageId: string): string {
    return this.key('visits', 'village', villageId);
  }
  /** Visits counted for one sending unit: sorted set `<userid>|<number>` by time (ms). */
  visitsOfUnit(unit: string): string {
    return this.key('visits', 'unit', unit);
  }
  /** The visit a photo sent next attaches to (short expiry). */
  lastVisit(userId: string): string {
    return this.user(userId, 'lastvisit');
  }
  /**
   * The visit obligations `visit-due` has reminded of: hash reminder key → the period's last day. The outbox
   * forgets a sent key after days; a window is up to months long, and each obligation is reminded once.
   */
  visitReminded(): string {
    return this.key('visits', 'reminded');
  }
  /** What `到村 村名 内容` asked for: the village and the note, for a visit recorded the same day. */
  visitIntent(userId: string): string {
    return this.user(userId, 'visitintent');
  }

  // ---- smart robot long connection -------------------------------------------------------------------------
  /** Chats where a person wrote to the robot (set of userids of single chats), the only ones `aibot_send_msg` reaches. */
  robotChats(): string {
    return this.key('robot', 'chats');
  }
  /** Replies the long connection could not send before a disconnect (list of JSON), sent as pushes after. */
  robotPending(): string {
    return this.key('robot', 'pending');
  }
  /** Set once a queued message went to one person through the robot, so a retry of its app part skips them. */
  robotPushed(messageKey: string, userId: string): string {
    return this.key('robot', 'pushed', messageKey, userId);
  }

  // ---- sandbox ---------------------------------------------------------------------------------------------
  /** The sandbox's simulated clock offset (ms), shared by the web page and the bot. */
  sandboxClock(): string {
    return this.key('sandbox', 'clock');
  }
  sandboxSeeded(): string {
    return this.key('sandbox', 'seeded');
  }
  /** The items of one sandbox conversation (`app:<userid>` or `group:<chatid>`), a list of JSON, oldest first. */
  sandboxChat(chat: string): string {
    return this.key('sandbox', 'chat', chat);
  }
  /** What happened to the cards a sandbox person sees: hash task_id → JSON (replaced button, new card). */
  sandboxCards(userId: string): string {
    return this.key('sandbox', 'cards', userId);
  }
  /** Which card or chat a one-time sandbox code belongs to: hash code → JSON. */
  sandboxCodes(): string {
    return this.key('sandbox', 'codes');
  }
  /** Counter bumped by every change the sandbox page should show; also the sequence of chat items. */
  sandboxVersion(): string {
    return this.key('sandbox', 'version');
  }
  /** Held while one instance seeds the sandbox, so two instances starting together do not both fill it. */
  sandboxSeedLock(): string {
    return this.key('sandbox', 'seedlock');
  }
}
