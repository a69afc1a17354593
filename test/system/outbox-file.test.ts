/**
 * File messages through the outbox: the file's bytes travel in the queued message and are uploaded when it is
 * sent (a media id lasts three days), then `msgtype: file` carries the new media id, to members and to a group
 * robot. The fake WeCom keeps what was uploaded, so the file is read back as it arrived.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { useTestRedis } from '../helpers/redis.js';
import { startRig } from './fixtures/outbox-rig.js';

const { redis, keys, url } = useTestRedis();
const rig = await startRig({ redis, url, keys, fake: { knownUsers: ['zhangsan', 'lisi'] } });
const { fake, outbox } = rig;
afterAll(() => rig.close());

const BYTES = Buffer.from('PK\u0003\u0004 a workbook of a county, in a few bytes');

describe('file messages', () => {
  it('uploads the file at send time and sends its media id, to members and to a robot', async () => {
    const file = { type: 'file' as const, filename: '2026年10月考勤表.xlsx', contentBase64: BYTES.toString('base64') };
    const messages: Outbound[] = [
      { key: 'file:app', purpose: 'report', to: { kind: 'user', userIds: ['zhangsan', 'lisi'] }, body: file },
      { key: 'file:wh', purpose: 'report', to: { kind: 'webhook', keyEnv: 'WEBHOOK_T1' }, body: file },
    ];
    await outbox.enqueue(messages);
    for (const m of messages) expect(await rig.finish(m.key)).toMatchObject({ sent: true });

    const app = fake.sent('app').find((d) => d.msgtype === 'file')!;
    expect(app.payload.touser).toBe('zhangsan|lisi');
    const id = (app.payload.file as { media_id: string }).media_id;
    expect(fake.mediaData(id)).toEqual(BYTES);
    const upload = fake.requests.find((r) => r.path === '/cgi-bin/media/upload' && r.query.type === 'file');
    expect(upload).toBeDefined();

    const wh = fake.sent('webhook').find((d) => d.msgtype === 'file')!;
    expect(fake.mediaData((wh.payload.file as { media_id: string }).media_id)).toEqual(BYTES);
  });

  it('fails an empty file for good, with the reason', async () => {
    const msg: Outbound = {
      key: 'file:empty',
      purpose: 'report',
      to: { kind: 'user', userIds: ['zhangsan'] },
      body: { type: 'file', filename: 'x.docx', contentBase64: '' },
    };
    await outbox.enqueue([msg]);
    await expect(rig.finish(msg.key)).rejects.toThrow(/x\.docx is empty/);
  });
});
