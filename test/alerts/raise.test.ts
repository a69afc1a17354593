import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Alerts } from '../../src/alerts/alerts.js';
import type { Alert } from '../../src/alerts/alert.js';
import { MINUTE } from '../helpers/clock.js';
import { RecordingOutbox } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';
import { ERROR, OPERATOR, OPS_HOOK_ENV, OPS_HOOK_KEY, startAlertRig } from './support.js';

const t = useTestRedis();
const a = await startAlertRig(t);
afterAll(() => a.rig.close());

/** An alert whose reason names `key` as `定时任务 <key> 运行出错`. */
const alert = (key: string): Alert => ({
  kind: 'job-failed',
  key,
  reason: `定时任务 ${key} 运行出错：测试`,
  action: `运行 zhucun jobs run ${key} 补做。`,
});
const named = (key: string) => `定时任务 ${key} 运行出错`;

describe('operator alerts', () => {
  it('sends an alert with its reason and action to the operator, by app message and group robot', async () => {
    const alerts = a.alerts({ userIds: [OPERATOR], webhookEnv: OPS_HOOK_ENV });
    expect(await alerts.raise(alert('first'))).toBe('sent');
    await until(() => a.texts().filter((x) => x.includes(named('first'))).length === 2, 'both deliveries');
    const mine = a.rig.fake.sent().filter((d) => JSON.stringify(d.payload).includes(named('first')));
    const app = mine.find((d) => d.channel === 'app')!;
    const hook = mine.find((d) => d.channel === 'webhook')!;
    expect(app.to).toEqual([OPERATOR]);
    expect(hook.to).toEqual([OPS_HOOK_KEY]);
    const text = (app.payload.text as { content: string }).content;
    expect(text.split('\n')).toEqual([
      '【驻村助手运维告警】定时任务运行出错',
      '原因：定时任务 first 运行出错：测试',
      '处理：运行 zhucun jobs run first 补做。',
      '（11月18日 09:00；同一告警每 60 分钟内最多发一次，其间的重复会汇总）',
    ]);
    expect((hook.payload.text as { content: string }).content).toBe(text);
    expect(a.lines.some((l) => l.level === ERROR && l.msg === 'operator alert' && l.key === 'first')).toBe(true);
  });

  it('counts a repeat within the window without sending it, and summarises the repeats when the window ends', async () => {
    const out = a.tee();
    const alerts = a.alerts(undefined, out);
    a.clock.set('2026-11-18T10:00:00+08:00');
    expect(await alerts.raise(alert('repeat'))).toBe('sent');
    a.clock.advance(10 * MINUTE);
    expect(await alerts.raise(alert('repeat'))).toBe('repeat');
    a.clock.advance(10 * MINUTE);
    expect(await alerts.raise({ ...alert('repeat'), reason: '定时任务 repeat 运行出错：第三次' })).toBe('repeat');
    await alerts.sendSummaries(); // the window has not ended
    expect(out.about(named('repeat'))).toHaveLength(1);

    a.clock.advance(41 * MINUTE); // 61 minutes after the first
    expect(await alerts.dueSummaries()).toBeGreaterThanOrEqual(1);
    await alerts.sendSummaries();
    expect(out.about(named('repeat'))).toHaveLength(2);
    expect(out.about(named('repeat'))[1]!.split('\n').slice(0, 4)).toEqual([
      '【驻村助手运维告警】定时任务运行出错（汇总）',
      '上次告警（11月18日 10:00）后的 60 分钟内又发生 2 次。最近一次的情况如下。',
      '原因：定时任务 repeat 运行出错：第三次',
      '处理：运行 zhucun jobs run repeat 补做。',
    ]);
    // The summary starts a new window: nothing more to summarise, and a raise within it is counted again.
    await alerts.sendSummaries();
    expect(await alerts.raise(alert('repeat'))).toBe('repeat');
    expect(out.about(named('repeat'))).toHaveLength(2);
    // Delivered by the real outbox to the fake WeCom.
    await until(() => a.texts().some((x) => x.includes('又发生 2 次') && x.includes(named('repeat'))), 'summary');
  });

  it('puts the repeats into the next alert sent when no summary went out meanwhile', async () => {
    const out = a.tee();
    const alerts = a.alerts(undefined, out);
    a.clock.set('2026-11-19T08:00:00+08:00');
    expect(await alerts.raise(alert('next'))).toBe('sent');
    expect(await alerts.raise(alert('next'))).toBe('repeat');
    expect(await alerts.raise(alert('next'))).toBe('repeat');
    a.clock.advance(60 * MINUTE);
    expect(await alerts.raise(alert('next'))).toBe('sent');
    const [, second] = out.about(named('next'));
    expect(second!.split('\n').slice(0, 4)).toEqual([
      '【驻村助手运维告警】定时任务运行出错',
      '原因：定时任务 next 运行出错：测试',
      '处理：运行 zhucun jobs run next 补做。',
      '上次告警（11月19日 08:00）后的 60 分钟内又发生 2 次。',
    ]);
    await alerts.sendSummaries(); // the repeats went with that alert: no summary of them
    expect(out.about(named('next'))).toHaveLength(2);
  });

  it('keeps different keys and kinds apart', async () => {
    const alerts = a.alerts(undefined, a.tee());
    expect(await alerts.raise(alert('apart-1'))).toBe('sent');
    expect(await alerts.raise(alert('apart-2'))).toBe('sent');
    expect(await alerts.raise({ ...alert('apart-1'), kind: 'job-missed' })).toBe('sent');
  });

  it('raises one occurrence once, however often it is seen', async () => {
    const out = a.tee();
    const alerts = a.alerts(undefined, out);
    const seen = { ...alert('occurrence'), occurrence: '2026-11-18T10:00:00.000Z' };
    expect(await alerts.raise(seen)).toBe('sent');
    expect(await alerts.raise(seen)).toBe('duplicate');
    a.clock.advance(61 * MINUTE);
    expect(await alerts.raise(seen)).toBe('duplicate');
    await alerts.sendSummaries();
    expect(out.about(named('occurrence'))).toHaveLength(1);
  });

  it('sends one alert when two instances raise the same one at once', async () => {
    const other = new Redis(t.url);
    try {
      const out = a.tee();
      const one = a.alerts(undefined, out);
      const two = new Alerts({
        redis: other,
        keys: t.keys,
        clock: a.clock,
        log: a.log,
        policy: a.policy,
        outbox: out,
        target: { userIds: [OPERATOR] },
      });
      const outcomes = await Promise.all([
        one.raise(alert('twice')),
        two.raise(alert('twice')),
        one.raise(alert('twice')),
        two.raise(alert('twice')),
      ]);
      expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'repeat')).toHaveLength(3);
      expect(out.about(named('twice'))).toHaveLength(1);
      a.clock.advance(60 * MINUTE);
      // Both instances run the summary step (the ops-watch job on each); one summary goes out.
      await Promise.all([one.sendSummaries(), two.sendSummaries()]);
      expect(out.about(named('twice'))).toHaveLength(2);
      expect(out.about(named('twice'))[1]).toContain('又发生 3 次');
      await until(() => a.texts().filter((x) => x.includes(named('twice'))).length === 2, 'two deliveries');
    } finally {
      other.disconnect();
    }
  });

  it('with no target, writes the alert to the log at error level and queues nothing', async () => {
    const outbox = new RecordingOutbox();
    const alerts = a.alerts({ userIds: [] }, outbox);
    expect(alerts.configured).toBe(false);
    expect(await alerts.raise(alert('nobody'))).toBe('logged');
    expect(outbox.queued).toEqual([]);
    const line = a.lines.find((l) => l.msg === 'operator alert' && l.key === 'nobody');
    expect(line).toMatchObject({ level: ERROR, alert: 'job-failed', reason: '定时任务 nobody 运行出错：测试' });
    expect(line!.action).toBe('运行 zhucun jobs run nobody 补做。');
  });

  it('logs the alert at error level when the outbox cannot take it', async () => {
    const broken = {
      enqueue: async () => {
        throw new Error('queue unavailable');
      },
    };
    const alerts = a.alerts({ userIds: [OPERATOR] }, broken);
    expect(await alerts.raise(alert('broken'))).toBe('failed');
    const line = a.lines.find((l) => l.key === 'broken' && /only in this log/.test(l.msg));
    expect(line).toMatchObject({ level: ERROR, reason: '定时任务 broken 运行出错：测试' });
  });

  it('alerts about a message the outbox gave up on, with the reason and what to do', async () => {
    a.alerts();
    await a.rig.outbox.enqueue([
      {
        key: 'gave-up:1',
        to: { kind: 'user', userIds: ['NoSuchPerson'] },
        body: { type: 'text', content: '审批提醒' },
        purpose: 'approval',
      },
    ]);
    await expect(a.rig.finish('gave-up:1')).rejects.toThrow(/81013/);
    await until(() => a.texts().some((x) => x.includes('NoSuchPerson')), 'the alert at the fake WeCom');
    const text = a.texts().find((x) => x.includes('NoSuchPerson'))!;
    expect(text).toContain('【驻村助手运维告警】消息发送失败');
    expect(text).toContain('原因：一条消息（用途 approval，发往 NoSuchPerson）被拒收，重试也不会成功，已放弃发送：');
    expect(text).toContain('errcode 81013');
    expect(text).toContain('处理：收件人在企业微信通讯录里都不存在：请核对名册中的 userid（zhucun roster check）');
    expect(text).toContain('zhucun outbox retry --all');
  });

  it('alerts about a message that ran out of attempts, pointing at the network', async () => {
    a.alerts();
    // More failures than the message has attempts: a retry of an earlier test's webhook post may take one.
    a.rig.fake.inject({ status: 502 }, 10, { path: '/cgi-bin/webhook/send' });
    await a.rig.outbox.enqueue([
      {
        key: 'exhausted:1',
        to: { kind: 'webhook', keyEnv: OPS_HOOK_ENV },
        body: { type: 'text', content: '日报' },
        purpose: 'digest',
      },
    ]);
    await expect(a.rig.finish('exhausted:1')).rejects.toThrow(/502/);
    a.rig.fake.clearInjections();
    await until(() => a.texts().some((x) => x.includes('用途 digest')), 'the alert at the fake WeCom');
    const text = a.texts().find((x) => x.includes('用途 digest'))!;
    expect(text).toContain(`原因：一条消息（用途 digest，发往 webhook ${OPS_HOOK_ENV}）多次重试后仍未送达`);
    expect(text).toContain('处理：企业微信接口一直无法送达：请检查本服务器的网络、代理和 WECOM_API_BASE');
  });

  it('only logs an alert message that itself fails, so a failing outbox never alerts about itself', async () => {
    const out = a.tee();
    const alerts = a.alerts({ userIds: ['UnknownOperator'] }, out);
    expect(await alerts.raise(alert('self'))).toBe('sent');
    const key = out.queued[0]!.key;
    await expect(a.rig.finish(key)).rejects.toThrow(/81013/);
    await until(
      () => a.lines.some((l) => l.key === key && l.msg === 'operator alert could not be sent; it is only in this log'),
      'the failed alert in the log',
    );
    const line = a.lines.find((l) => l.key === key && /could not be sent/.test(l.msg))!;
    expect(line.level).toBe(ERROR);
    expect(line.content).toContain('原因：定时任务 self 运行出错：测试');
    expect(a.lines.some((l) => l.alert === 'outbox-failed' && String(l.reason).includes('UnknownOperator'))).toBe(
      false,
    );
  });
});
