/**
 * A large township's digest fits WeCom's limits part by part: an app message's markdown (the supervisors' digest,
 * the organisation department's weekly one) at most 2048 bytes, a group robot's at most 4096. A part over the
 * limit is refused by WeCom (45002) and never arrives.
 */
import { describe, expect, it } from 'vitest';
import { syntheticRoster } from '../../bench/roster-gen.js';
import type { Outbound } from '../../src/core/outbound.js';
import { APP_MARKDOWN_MAX_BYTES, MARKDOWN_MAX_BYTES } from '../../src/digest/split.js';
import { dailyDigest } from '../../src/jobs/daily-digest.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const ctx = testDeps(t);

const bytes = (m: Outbound) => Buffer.byteLength(m.body.type === 'markdown' ? m.body.content : '', 'utf8');

describe('digest message sizes', () => {
  it('splits a 100-cadre township’s supervisor digest into app messages of at most 2048 bytes', async () => {
    const data = syntheticRoster(300);
    data.groups = data.townships.map((tw, i) => ({ chatid: `c${i}`, township: tw.id, webhookKeyEnv: `WEBHOOK_T${i}` }));
    await ctx.roster.replace(data);
    const now = new Date('2026-12-18T18:00:00+08:00');
    const msgs = dailyDigest.plan(now, await dailyDigest.load(ctx, now));
    const app = msgs.filter((m) => m.to.kind === 'user');
    const robot = msgs.filter((m) => m.to.kind === 'webhook');
    expect(robot).toHaveLength(3);
    // 100 names do not fit one app message: each township's digest comes in several parts.
    expect(app.length).toBeGreaterThan(3);
    for (const m of app) expect(bytes(m)).toBeLessThanOrEqual(APP_MARKDOWN_MAX_BYTES);
    for (const m of robot) expect(bytes(m)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    // Every cadre is named in their township's parts.
    const t0 = app
      .filter((m) => m.key.startsWith('digest:daily:t0:'))
      .map((m) => (m.body.type === 'markdown' ? m.body.content : ''));
    for (const c of data.cadres.filter((c) => Number(c.village.slice(1)) < 25)) expect(t0.join('\n')).toContain(c.name);
  });
});
