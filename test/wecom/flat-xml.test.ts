import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readXml, readXmlFully } from '../../src/wecom/envelope.js';
import { readFlatXml } from '../../src/wecom/flat-xml.js';
import { appMessageXml } from '../../src/wecom/simulate.js';

/** What the full parser makes of `text`: its children, or the error it throws. */
function fully(text: string): unknown {
  try {
    return { ok: readXmlFully(text) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const SAMPLES = [
  '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS]]></Encrypt></xml>',
  appMessageXml({
    ToUserName: 'wwbench000000001',
    FromUserName: 'cadre17',
    CreateTime: 1796612866,
    MsgType: 'location',
    Location_X: 35.29,
    Location_Y: 111.2,
    Scale: 15,
    Label: '山西省运城市某某村委会',
    MsgId: '5000000001',
    AgentID: 1000002,
  }),
  appMessageXml({
    ToUserName: 'ww1',
    FromUserName: 'zhangsan',
    CreateTime: 1,
    MsgType: 'text',
    Content: '签到 <今天> & "明天" ]]> 也签',
    MsgId: '1',
    AgentID: 1,
  }),
  appMessageXml({
    ToUserName: 'ww1',
    FromUserName: 'u',
    CreateTime: 2,
    MsgType: 'event',
    Event: 'LOCATION',
    Latitude: 35.1,
    Longitude: 111.3,
    Precision: 30,
    AgentID: 1,
  }),
  '<xml>\n  <ToUserName><![CDATA[ww1]]></ToUserName>\n  <Content>a &amp; b</Content>\n</xml>\n',
  '<xml><ToUserName>ww1</ToUserName><Empty></Empty><Blank>  </Blank><EmptyCdata><![CDATA[]]></EmptyCdata></xml>',
  '<xml><Event><![CDATA[template_card_event]]></Event><SelectedItems><SelectedItem><QuestionKey><![CDATA[a]]></QuestionKey></SelectedItem></SelectedItems></xml>',
  '<xml><A>1</A><A>2</A></xml>',
  '<?xml version="1.0"?><xml><A>1</A></xml>',
  '<!DOCTYPE x [<!ENTITY e "boom">]><xml><A>&e;</A></xml>',
  '<xml><A x="1">1</A></xml>',
  '<xml><A/></xml>',
  '<xml><!-- c --><A>1</A></xml>',
  '<xml><A> <![CDATA[x]]> </A></xml>',
  '<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A></xml>',
  '<xml><__proto__>1</__proto__></xml>',
  '<xml></xml>',
  '<xml><A>1</A></xml><xml/>',
  '<xml><A>1</B></xml>',
  '<xml><A>line\r\nbreak</A></xml>',
];

describe('readFlatXml', () => {
  it('reads the flat shape exactly as the full parser does', () => {
    for (const text of SAMPLES) {
      const flat = readFlatXml(text);
      if (flat !== undefined) expect({ ok: flat }, text).toEqual(fully(text));
    }
  });

  it('takes the envelope and ordinary messages, and leaves every other shape to the full parser', () => {
    expect(readFlatXml(SAMPLES[0]!)).toBeDefined();
    expect(readFlatXml(SAMPLES[1]!)).toMatchObject({ MsgType: 'location', Location_X: '35.29', MsgId: '5000000001' });
    // "]]>" inside a text is sent as two CDATA sections: the full parser's job, with the same result.
    expect(readFlatXml(SAMPLES[2]!)).toBeUndefined();
    expect(readXml(SAMPLES[2]!).Content).toBe('签到 <今天> & "明天" ]]> 也签');
    expect(readFlatXml(SAMPLES[3]!)).toMatchObject({ Event: 'LOCATION', Latitude: '35.1' });
    for (const i of [4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19])
      expect(readFlatXml(SAMPLES[i]!), SAMPLES[i]).toBeUndefined();
  });

  it('reads element names character by character: plain names only, closed by the same name', () => {
    expect(readFlatXml('<xml><a.b-c_1>x</a.b-c_1><_Z9>y</_Z9></xml>')).toEqual({ 'a.b-c_1': 'x', _Z9: 'y' });
    for (const text of [
      '<xml><1a>x</1a></xml>',
      '<xml><-a>x</-a></xml>',
      '<xml><>x</></xml>',
      '<xml><a b>x</a b></xml>',
      '<xml><名>x</名></xml>',
      '<xml><a>x</ab></xml>',
      '<xml><ab>x</a></xml>',
      '<xml><a>x</a ></xml>',
      '<xml><a>x<a></xml>',
      '<xml><a',
    ])
      expect(readFlatXml(text), text).toBeUndefined();
  });

  it('leaves a DOCTYPE to the full parser, which refuses it', () => {
    expect(() => readXml(SAMPLES[9]!)).toThrow(/DOCTYPE/);
  });

  it('agrees with the full parser on many damaged variants of real messages', () => {
    // A fixed seed: the same variants every run.
    let seed = 20261207;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = [
      '<',
      '>',
      '&',
      '/',
      '!',
      '[',
      ']',
      '<![CDATA[',
      ']]>',
      '</A>',
      '<A>',
      ' ',
      '\n',
      '\u0001',
      'x',
      '"',
      '=',
      '?',
      '\uFEFF',
      '\r',
      '&amp;',
      '<xml>',
      '</xml>',
    ];
    let taken = 0;
    for (let n = 0; n < 20_000; n++) {
      let text = SAMPLES[rand(4)]!;
      for (let k = 1 + rand(3); k > 0; k--) {
        const at = rand(text.length + 1);
        const op = rand(3);
        if (op === 0) text = text.slice(0, at) + pieces[rand(pieces.length)] + text.slice(at);
        else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + rand(4));
        else text = text.slice(0, at) + text.slice(rand(text.length), rand(text.length)) + text.slice(at);
      }
      const flat = readFlatXml(text);
      if (flat === undefined) continue;
      taken++;
      expect({ ok: flat }, text).toEqual(fully(text));
    }
    // The comparison means something only if many damaged texts still had the flat shape.
    expect(taken).toBeGreaterThan(2_000);
  });

  it('reads the envelopes of the official test vectors', () => {
    const vectors = (JSON.parse(readFileSync('test/fixtures/wecom-official.json', 'utf8')) as { vectors: unknown[] })
      .vectors;
    const bodies = JSON.stringify(vectors).match(/<xml>.*?<\/xml>/g) ?? [];
    for (const body of bodies.map((b) => JSON.parse(`"${b}"`) as string)) {
      const flat = readFlatXml(body);
      if (flat !== undefined) expect({ ok: flat }).toEqual(fully(body));
    }
  });
});
