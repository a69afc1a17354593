/**
 * The operator target in the configuration: malformed values stop start-up with the variable's name, and the
 * composition root wires the alerts (a message given up on reaches the operator; no target is a warning on
 * /readyz and alerts go to the log).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { alertTargetFromEnv, NO_TARGET_WARNING } from '../../src/alerts/target.js';
import { startApp } from '../../src/app.js';
import { policyWithoutCatchUp } from '../helpers/no-catch-up.js';
import { loadEnv } from '../../src/config/env.js';
import { startFakeWecom } from '../../src/fakewecom/server.js';
import { silentLogger } from '../../src/log.js';
import { freePort } from '../global-setup.js';
import { sampleRosterData } from '../helpers/deps.js';
import { until } from '../helpers/wait.js';

describe('the operator target', () => {
  it('reads userids separated by | or , and the name of a webhook key variable', () => {
    const env = loadEnv({
      ZHUCUN_ALERT_TO: ' ZhangSan|li.si@county , wang_wu ',
      ZHUCUN_ALERT_WEBHOOK_ENV: 'WEBHOOK_OPS',
      WEBHOOK_OPS: 'key-123',
    });
    expect(alertTargetFromEnv(env)).toEqual({
      userIds: ['ZhangSan', 'li.si@county', 'wang_wu'],
      webhookEnv: 'WEBHOOK_OPS',
    });
    expect(alertTargetFromEnv(loadEnv({}))).toEqual({ userIds: [] });
  });

  it.each([
    [{ ZHUCUN_ALERT_TO: 'Zhang San' }, /ZHUCUN_ALERT_TO: must be WeCom userids/],
    [{ ZHUCUN_ALERT_TO: 'ZhangSan||LiSi' }, /ZHUCUN_ALERT_TO: must be WeCom userids/],
    [{ ZHUCUN_ALERT_TO: '张三' }, /ZHUCUN_ALERT_TO/],
    [{ ZHUCUN_ALERT_WEBHOOK_ENV: 'webhook-ops' }, /ZHUCUN_ALERT_WEBHOOK_ENV: must name the environment variable/],
    [{ ZHUCUN_ALERT_WEBHOOK_ENV: 'ZHUCUN_OPS' }, /ZHUCUN_ALERT_WEBHOOK_ENV: must name/],
    [{ ZHUCUN_ALERT_WEBHOOK_ENV: 'WEBHOOK_OPS' }, /ZHUCUN_ALERT_WEBHOOK_ENV: names WEBHOOK_OPS, which is not set/],
  ])('refuses %j', (source, message) => {
    expect(() => loadEnv(source)).toThrow(message);
  });
});

describe('alerts in the running server', () => {
  const redis = new Redis(inject('redisUrl'));
  const namespaces: string[] = [];
  afterAll(async () => {
    for (const ns of namespaces)
      for await (const batch of redis.scanStream({ match: `${ns}:*`, count: 1000 }))
        if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
    redis.disconnect();
  });

  async function start(extra: Record<string, string>) {
    const roster = sampleRosterData();
    const people = [...roster.cadres.map((c) => c.userid), ...roster.supervisors.map((s) => s.userid)];
    const fake = await startFakeWecom({ knownUsers: ['OpsAdmin', ...people] });
    const ns = `alertapp${randomBytes(3).toString('hex')}`;
    namespaces.push(ns);
    const env = loadEnv({
      REDIS_URL: inject('redisUrl'),
      ZHUCUN_NAMESPACE: ns,
      PORT: String(await freePort()),
      WECOM_API_BASE: fake.url,
      WECOM_CORP_ID: fake.corpId,
      WECOM_AGENT_ID: fake.agentId,
      WECOM_APP_SECRET: fake.secret,
      WECOM_APP_TOKEN: 'alertAppToken',
      WECOM_APP_AES_KEY: 'a'.repeat(43),
      ZHUCUN_ROSTER: 'config/roster.sample.yaml',
      // The start makes up no job: what is tested here must not wait behind the day's made-up digests.
      ZHUCUN_POLICY: policyWithoutCatchUp(),
      ...extra,
    });
    const app = await startApp(env, silentLogger);
    return { fake, app };
  }

  it('tells the operator about a message given up on, and says nothing on /readyz about alerts', async () => {
    const { fake, app } = await start({ ZHUCUN_ALERT_TO: 'OpsAdmin' });
    try {
      await app.outbox.enqueue([
        {
          key: 'alert-app:gone',
          to: { kind: 'user', userIds: ['LeftTheCounty'] },
          body: { type: 'text', content: '请假审批' },
          purpose: 'approval',
        },
      ]);
      const alertTo = () =>
        fake
          .sent('app')
          .filter((d) => d.to.includes('OpsAdmin'))
          .map((d) => (d.payload.text as { content: string }).content);
      await until(() => alertTo().some((x) => x.includes('LeftTheCounty')), 'the alert to the operator');
      expect(alertTo().find((x) => x.includes('LeftTheCounty'))).toContain('【驻村助手运维告警】消息发送失败');
      const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { warnings?: string[] };
      expect(ready.warnings ?? []).not.toContain(NO_TARGET_WARNING);
    } finally {
      await app.close();
      await fake.stop();
    }
  }, 90_000);

  it('without a target, says on /readyz that alerts go to the log only', async () => {
    const { fake, app } = await start({});
    try {
      const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { ok: boolean; warnings?: string[] };
      expect(ready.ok).toBe(true);
      expect(ready.warnings).toContain(NO_TARGET_WARNING);
    } finally {
      await app.close();
      await fake.stop();
    }
  }, 90_000);
});
