/**
 * A decrypted self-built-app message or event (XML, field names as in [D:90239][D:90240]) turned into the
 * normalised `Update`. Only shape is checked here; what a message means is the core's business.
 */
import type { Update, UpdateEvent, UpdateLocation } from '../core/update.js';
import { CallbackError } from './crypto.js';
import { readXml, xmlRequired, xmlText, type XmlObject } from './envelope.js';

/**
 * Parse the decrypted XML of an app callback into an `Update` (channel 'app', always a single chat: app
 * callbacks carry no group messages [D:90235]). Ids follow WeCom's de-duplication advice [D:90238]: messages
 * `app:msg:<MsgId>`, events `app:evt:<FromUserName>:<CreateTime>`, and card clicks add `:<TaskId>:<EventKey>`
 * because one person can click twice in the same second. A missing required field is a `CallbackError`; a
 * well-formed message of a type we do not know becomes kind 'other'.
 */
export function parseAppMessage(plaintext: string): Update {
  const xml = readXml(plaintext);
  const userId = xmlRequired(xml, 'FromUserName');
  const createTime = xmlRequired(xml, 'CreateTime');
  if (!/^\d{1,12}$/.test(createTime))
    throw new CallbackError('malformed', '<CreateTime> is not a number', { field: 'CreateTime' });
  const msgType = xmlRequired(xml, 'MsgType');
  const time = new Date(Number(createTime) * 1000);
  // The common fields first and the kind's own spread after them: Node 20's V8 gives an object built as
  // `{ ...common, id, kind }` a new hidden class on every call (about a microsecond a property, and garbage for
  // the old generation), where properties followed by a spread take the fast path.
  const base = (own: Omit<Update, 'channel' | 'userId' | 'chatType' | 'time'>): Update => ({
    channel: 'app',
    userId,
    chatType: 'single',
    time,
    ...own,
  });

  if (msgType === 'event') return base(parseEvent(xml, userId, createTime));

  const msgId = xmlText(xml, 'MsgId');
  const id = msgId ? `app:msg:${msgId}` : `app:evt:${userId}:${createTime}:${msgType}`;
  const needId = () => {
    if (!msgId) throw new CallbackError('missing_field', '<MsgId> is missing', { field: 'MsgId', msgType });
  };
  switch (msgType) {
    case 'text':
      needId();
      return base({ id, kind: 'text', text: xmlText(xml, 'Content') ?? '' });
    case 'image':
      needId();
      return base({ id, kind: 'image', media: { mediaId: xmlText(xml, 'MediaId'), url: xmlText(xml, 'PicUrl') } });
    case 'voice':
      needId();
      return base({ id, kind: 'voice', media: { mediaId: xmlText(xml, 'MediaId'), format: xmlText(xml, 'Format') } });
    case 'video':
      needId();
      return base({ id, kind: 'video', media: { mediaId: xmlText(xml, 'MediaId') } });
    case 'file':
      needId();
      return base({ id, kind: 'file', media: { mediaId: xmlText(xml, 'MediaId') } });
    case 'location':
      needId();
      return base({ id, kind: 'location', location: messageLocation(xml) });
    case 'link':
      needId();
      // No link kind in the core: the title as text and the address as media let a handler show it if ever needed.
      return base({ id, kind: 'other', text: xmlText(xml, 'Title'), media: { url: xmlText(xml, 'Url') } });
    default:
      return base({ id, kind: 'other' });
  }
}

function parseEvent(
  xml: XmlObject,
  userId: string,
  createTime: string,
): Pick<Update, 'id' | 'kind' | 'event' | 'location'> {
  const type = xmlRequired(xml, 'Event');
  const key = xmlText(xml, 'EventKey') || undefined;
  // WeCom's rule is FromUserName + CreateTime; the event name is added because opening the app can send
  // enter_agent and LOCATION in the same second, and the second must not pass for a retry of the first.
  const baseId = `app:evt:${userId}:${createTime}:${type}${key && type !== 'template_card_event' ? `:${key}` : ''}`;
  if (type === 'template_card_event') {
    const taskId = xmlRequired(xml, 'TaskId');
    const eventKey = xmlRequired(xml, 'EventKey');
    const event: UpdateEvent = {
      type,
      key: eventKey,
      taskId,
      cardType: xmlText(xml, 'CardType') || undefined,
      responseCode: xmlText(xml, 'ResponseCode') || undefined,
    };
    return { id: `${baseId}:${taskId}:${eventKey}`, kind: 'event', event };
  }
  if (type === 'LOCATION') {
    // Reported by the client on entering the app (when location reporting is on): a location the user did not
    // type, hence source 'auto'. Kind 'location' so that check-in handles it like any other position.
    const location: UpdateLocation = {
      lat: coordinate(xmlRequired(xml, 'Latitude'), 90, 'Latitude'),
      lng: coordinate(xmlRequired(xml, 'Longitude'), 180, 'Longitude'),
      source: 'auto',
    };
    const precision = xmlText(xml, 'Precision');
    if (precision) location.precision = number(precision, 'Precision');
    return { id: baseId, kind: 'location', location, event: { type } };
  }
  return { id: baseId, kind: 'event', event: { type, ...(key ? { key } : {}) } };
}

/** A location message: `Location_X` is the latitude, `Location_Y` the longitude [D:90239]. */
function messageLocation(xml: XmlObject): UpdateLocation {
  // `Scale` is the map zoom of the picked point, not an accuracy, so it is not carried as precision.
  const location: UpdateLocation = {
    lat: coordinate(xmlRequired(xml, 'Location_X'), 90, 'Location_X'),
    lng: coordinate(xmlRequired(xml, 'Location_Y'), 180, 'Location_Y'),
    source: 'message',
  };
  const label = xmlText(xml, 'Label');
  if (label) location.label = label;
  return location;
}

/** A plain decimal as WeCom writes coordinates (`30.5`, `-0.25`); hex (`0x1F`), exponents and Infinity are not. */
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

function number(text: string, field: string): number {
  const t = text.trim();
  if (!DECIMAL.test(t)) throw new CallbackError('malformed', `<${field}> is not a number`, { field });
  return Number(t);
}

function coordinate(text: string, limit: number, field: string): number {
  const n = number(text, field);
  if (Math.abs(n) > limit) throw new CallbackError('malformed', `<${field}> is out of range`, { field });
  return n;
}
