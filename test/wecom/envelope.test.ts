import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CallbackError } from '../../src/wecom/crypto.js';
import {
  appReplyEnvelope,
  botReplyEnvelope,
  cdata,
  parseAppEnvelope,
  parseBotEnvelope,
  readXml,
} from '../../src/wecom/envelope.js';

const V1 = (
  JSON.parse(readFileSync('test/fixtures/wecom-official.json', 'utf8')) as {
    vectors: { post: { body: string; encrypt: string; expectPlaintext: string } }[];
  }
).vectors[0]!;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CallbackError);
    return (err as CallbackError).code;
  }
  return 'nothing thrown';
}

describe('readXml', () => {
  it('reads the official plaintext with every value as a string (64-bit MsgId intact)', () => {
    expect(readXml(V1.post.expectPlaintext)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
  });

  it('refuses a DOCTYPE with entity declarations instead of expanding it', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><Content>&b;&b;</Content></xml>';
    expect(codeOf(() => readXml(bomb))).toBe('malformed');
    const external = '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>';
    expect(codeOf(() => readXml(external))).toBe('malformed');
  });

  it('leaves an undeclared entity reference as literal text', () => {
    expect(readXml('<xml><Content>&xxe;</Content></xml>').Content).toBe('&xxe;');
  });

  it('decodes the predefined entities in plain text but keeps CDATA literal', () => {
    const xml = readXml('<xml><T>a &amp; b &lt;c&gt; &#20320;&#x597D;</T><C><![CDATA[a &amp; <b>]]></C></xml>');
    expect(xml.T).toBe('a & b <c> 你好');
    expect(xml.C).toBe('a &amp; <b>');
  });

  it('accepts "<!DOCTYPE" typed inside a CDATA message', () => {
    expect(readXml('<xml><Content><![CDATA[<!DOCTYPE html>]]></Content></xml>').Content).toBe('<!DOCTYPE html>');
  });

  it('keeps nested elements and repeated tags', () => {
    const xml = readXml(
      '<xml><Button><ReplaceName><![CDATA[已同意]]></ReplaceName></Button><A>1</A><A>2</A><E></E></xml>',
    );
    expect(xml).toEqual({ Button: { ReplaceName: '已同意' }, A: ['1', '2'], E: '' });
  });

  it('refuses malformed XML, a foreign root and prototype keys without crashing', () => {
    for (const bad of [
      '<xml><a>',
      'hello',
      '',
      '<a>1</a><b>2</b>',
      '<root><a>1</a></root>',
      '<xml><__proto__>1</__proto__></xml>',
      '{"encrypt":"x"}',
    ]) {
      expect(codeOf(() => readXml(bad))).toBe('malformed');
    }
  });

  it('CDATA wrapping survives a "]]>" inside the text', () => {
    const text = 'a]]>b]]>';
    expect(readXml(`<xml><C>${cdata(text)}</C></xml>`).C).toBe(text);
  });
});

describe('callback envelopes', () => {
  it('reads the official app envelope', () => {
    expect(parseAppEnvelope(V1.post.body)).toEqual({
      toUserName: 'wx5823bf96d3bd56c7',
      agentId: '218',
      encrypt: V1.post.encrypt,
    });
  });

  it('refuses an app envelope without Encrypt, or with two', () => {
    expect(codeOf(() => parseAppEnvelope('<xml><ToUserName>x</ToUserName></xml>'))).toBe('missing_field');
    expect(codeOf(() => parseAppEnvelope('<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>'))).toBe('malformed');
  });

  it('reads the robot envelope and refuses bad JSON', () => {
    expect(parseBotEnvelope('{"encrypt":"abc"}')).toEqual({ encrypt: 'abc' });
    expect(codeOf(() => parseBotEnvelope('{"encrypt":'))).toBe('malformed');
    expect(codeOf(() => parseBotEnvelope('["encrypt"]'))).toBe('malformed');
    expect(codeOf(() => parseBotEnvelope('null'))).toBe('malformed');
    expect(codeOf(() => parseBotEnvelope('{"encrypt":5}'))).toBe('missing_field');
    expect(codeOf(() => parseBotEnvelope('{}'))).toBe('missing_field');
  });
});

describe('reply envelopes', () => {
  const sealed = { encrypt: 'ENC+/=', signature: 'abc123', timestamp: 1411525903, nonce: 'n0' };

  it('app: Encrypt, MsgSignature, TimeStamp (capital S) and Nonce', () => {
    expect(appReplyEnvelope(sealed)).toBe(
      '<xml><Encrypt><![CDATA[ENC+/=]]></Encrypt><MsgSignature><![CDATA[abc123]]></MsgSignature><TimeStamp>1411525903</TimeStamp><Nonce><![CDATA[n0]]></Nonce></xml>',
    );
  });

  it('robot: encrypt, msgsignature, numeric timestamp and the nonce', () => {
    expect(JSON.parse(botReplyEnvelope(sealed))).toEqual({
      encrypt: 'ENC+/=',
      msgsignature: 'abc123',
      timestamp: 1411525903,
      nonce: 'n0',
    });
  });
});
