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
    return [`${this.ns}:{${tag}}`, ...parts].join(':');
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
  /** Short lock while one delivery of an update is being processed (a concurrent retry waits). */
  busy(userId: string, updateId: string): string {
    return this.user(userId, 'busy', updateId);
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

  // ---- counters for short numbers (Q1024, B12, H77, N5) ------------------------------------------------------
  sequence(name: 'leave' | 'backfill' | 'report' | 'announce'): string {
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

  // ---- backup and restore ----------------------------------------------------------------------------------
  /** The version of the stored data's shape (absent = 0, before versioning); a snapshot's header carries it. */
  schemaVersion(): string {
    return this.key('store', 'schema');
  }

  // ---- the store itself ------------------------------------------------------------------------------------
  /** What this namespace holds, `sandbox` or `production`, written at first start; the other mode refuses it. */
  storeKind(): string {
    return this.key('store', 'kind');
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
