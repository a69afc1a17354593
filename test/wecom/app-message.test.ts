import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppMessage } from '../../src/wecom/app-message.js';
import { CallbackError } from '../../src/wecom/crypto.js';
import { appMessageXml } from '../../src/wecom/simulate.js';

const vectors = (
  JSON.parse(readFileSync('test/fixtures/wecom-official.json', 'utf8')) as {
    vectors: { post: { expectPlaintext: string } }[];
  }
).vectors;

const CORP = 'ww1436e0e65a779aee';
const msg = (fields: Record<string, string | number>) =>
  parseAppMessage(
    appMessageXml({ ToUserName: CORP, FromUserName: 'zhangsan', CreateTime: 1763427600, AgentID: 1000002, ...fields }),
  );
const at = new Date(1763427600 * 1000);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CallbackError);
    return (err as CallbackError).code;
  }
  return 'nothing thrown';
}

describe('app messages', () => {
  it('the official V1 and V2 plaintexts become text updates', () => {
    expect(parseAppMessage(vectors[0]!.post.expectPlaintext)).toEqual({
      id: 'app:msg:4561255354251345929',
      channel: 'app',
      userId: 'mycreate',
      chatType: 'single',
      kind: 'text',
      text: 'hello',
      time: new Date(1409659813 * 1000),
    });
    const v2 = parseAppMessage(vectors[1]!.post.expectPlaintext);
    expect([v2.id, v2.userId, v2.text, v2.kind]).toEqual(['app:msg:1456453720', 'ChenJiaShun', '你好', 'text']);
  });

  it('image, voice, video and file keep their media', () => {
    expect(msg({ MsgType: 'image', PicUrl: 'http://p/1.jpg', MediaId: 'M1', MsgId: '11' })).toMatchObject({
      id: 'app:msg:11',
      kind: 'image',
      media: { mediaId: 'M1', url: 'http://p/1.jpg' },
      time: at,
    });
    expect(msg({ MsgType: 'voice', MediaId: 'M2', Format: 'amr', MsgId: '12' })).toMatchObject({
      kind: 'voice',
      media: { mediaId: 'M2', format: 'amr' },
    });
    expect(msg({ MsgType: 'video', MediaId: 'M3', ThumbMediaId: 'T3', MsgId: '13' })).toMatchObject({
      kind: 'video',
      media: { mediaId: 'M3' },
    });
    expect(msg({ MsgType: 'file', MediaId: 'M4', MsgId: '14' })).toMatchObject({
      kind: 'file',
      media: { mediaId: 'M4' },
    });
  });

  it('a location message: Location_X is the latitude, Location_Y the longitude, source message', () => {
    const u = msg({
      MsgType: 'location',
      Location_X: '23.134521',
      Location_Y: '113.358803',
      Scale: '20',
      Label: '某某村委会',
      MsgId: '15',
      AppType: 'wxwork',
    });
    expect(u).toMatchObject({
      id: 'app:msg:15',
      kind: 'location',
      location: { lat: 23.134521, lng: 113.358803, label: '某某村委会', source: 'message' },
    });
    expect(u.location?.precision).toBeUndefined();
  });

  it('a link message is kind other with its title and address', () => {
    expect(
      msg({ MsgType: 'link', Title: '通知', Description: 'd', Url: 'https://example.org/a', PicUrl: 'p', MsgId: '16' }),
    ).toMatchObject({
      kind: 'other',
      text: '通知',
      media: { url: 'https://example.org/a' },
    });
  });

  it('an unknown but well-formed message type is kind other', () => {
    expect(msg({ MsgType: 'miniprogram', MsgId: '17' })).toMatchObject({ id: 'app:msg:17', kind: 'other' });
  });
});

describe('app events', () => {
  it('subscribe and enter_agent: id from user, time and event, no key', () => {
    expect(msg({ MsgType: 'event', Event: 'subscribe', EventKey: '' })).toEqual({
      id: 'app:evt:zhangsan:1763427600:subscribe',
      channel: 'app',
      userId: 'zhangsan',
      chatType: 'single',
      kind: 'event',
      event: { type: 'subscribe' },
      time: at,
    });
    expect(msg({ MsgType: 'event', Event: 'enter_agent', EventKey: '' })).toMatchObject({
      kind: 'event',
      event: { type: 'enter_agent' },
    });
  });

  it('keeps enter_agent and LOCATION of the same second apart (opening the app sends both)', () => {
    const enter = msg({ MsgType: 'event', Event: 'enter_agent', EventKey: '' });
    const location = msg({
      MsgType: 'event',
      Event: 'LOCATION',
      Latitude: '23.1',
      Longitude: '113.3',
      Precision: '30',
    });
    expect(enter.id).not.toBe(location.id);
  });

  it('LOCATION becomes a location update with source auto and the precision', () => {
    expect(
      msg({
        MsgType: 'event',
        Event: 'LOCATION',
        Latitude: '23.104105',
        Longitude: '113.320107',
        Precision: '65.000000',
        AppType: 'wxwork',
      }),
    ).toMatchObject({
      id: 'app:evt:zhangsan:1763427600:LOCATION',
      kind: 'location',
      location: { lat: 23.104105, lng: 113.320107, precision: 65, source: 'auto' },
      event: { type: 'LOCATION' },
    });
  });

  it('click carries its EventKey', () => {
    expect(msg({ MsgType: 'event', Event: 'click', EventKey: 'menu-checkin' })).toMatchObject({
      kind: 'event',
      event: { type: 'click', key: 'menu-checkin' },
    });
  });

  it('template_card_event: id adds TaskId and EventKey; key, task, card type and response code kept', () => {
    expect(
      msg({
        MsgType: 'event',
        Event: 'template_card_event',
        EventKey: 'leave-approve:Q1024',
        TaskId: 'leave-Q1024',
        CardType: 'button_interaction',
        ResponseCode: 'RC123',
      }),
    ).toMatchObject({
      id: 'app:evt:zhangsan:1763427600:template_card_event:leave-Q1024:leave-approve:Q1024',
      kind: 'event',
      event: {
        type: 'template_card_event',
        key: 'leave-approve:Q1024',
        taskId: 'leave-Q1024',
        cardType: 'button_interaction',
        responseCode: 'RC123',
      },
    });
  });

  it('an unknown event is an event update with its name', () => {
    expect(msg({ MsgType: 'event', Event: 'change_contact', ChangeType: 'update_user' })).toMatchObject({
      kind: 'event',
      event: { type: 'change_contact' },
    });
  });
});

describe('app refusals', () => {
  it('missing required fields are refused', () => {
    expect(
      codeOf(() => parseAppMessage(appMessageXml({ CreateTime: 1, MsgType: 'text', Content: 'x', MsgId: '1' }))),
    ).toBe('missing_field');
    expect(codeOf(() => msg({ MsgType: 'text', Content: 'x' }))).toBe('missing_field');
    expect(codeOf(() => msg({ Content: 'x', MsgId: '1' }))).toBe('missing_field');
    expect(codeOf(() => msg({ MsgType: 'event' }))).toBe('missing_field');
    expect(codeOf(() => msg({ MsgType: 'event', Event: 'template_card_event', EventKey: 'k' }))).toBe('missing_field');
    expect(codeOf(() => msg({ MsgType: 'event', Event: 'LOCATION', Latitude: '23.1' }))).toBe('missing_field');
  });

  it('bad numbers are refused', () => {
    expect(codeOf(() => msg({ CreateTime: 'yesterday', MsgType: 'text', Content: 'x', MsgId: '1' }))).toBe('malformed');
    expect(codeOf(() => msg({ MsgType: 'location', Location_X: '123.5', Location_Y: '113.3', MsgId: '1' }))).toBe(
      'malformed',
    );
    expect(codeOf(() => msg({ MsgType: 'location', Location_X: 'north', Location_Y: '113.3', MsgId: '1' }))).toBe(
      'malformed',
    );
  });

  it('broken XML is refused, not crashed on', () => {
    expect(codeOf(() => parseAppMessage('<xml><MsgType>text</xml>'))).toBe('malformed');
  });
});
