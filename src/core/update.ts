/**
 * One normalised incoming event, whatever channel it came from. The WeCom edges (self-built app XML, smart
 * robot JSON, the check-in page) build these; the core never sees HTTP or XML.
 */
export type Channel = 'app' | 'bot' | 'page' | 'system';

export type UpdateKind = 'text' | 'location' | 'image' | 'voice' | 'file' | 'video' | 'mixed' | 'event' | 'other';

export interface UpdateLocation {
  lat: number;
  lng: number;
  /** `Label` of a location message, or the page's address text. */
  label?: string;
  /** Metres, when the source says (LOCATION event `Precision`, JS-SDK `accuracy`). */
  precision?: number;
  /** How the location was obtained; decides the trust level of a check-in. */
  source: 'page' | 'auto' | 'message';
  /** The check-in page opened for a visit (到村调研) to this village id, rather than a cadre's check-in. */
  visit?: string;
}

export interface UpdateEvent {
  /** WeCom event name: `template_card_event`, `enter_agent`, `enter_chat`, `subscribe`, `click`, … */
  type: string;
  /** `EventKey` / `event_key`: for our cards, `<action>:<id>` such as `leave-approve:Q1024`. */
  key?: string;
  taskId?: string;
  /** `ResponseCode` of a card click: allows one update of that card (72 h). */
  responseCode?: string;
  cardType?: string;
}

export interface Update {
  /** De-duplication identity, unique per channel: MsgId, FromUserName+CreateTime(+TaskId+EventKey), msgid. */
  id: string;
  channel: Channel;
  userId: string;
  /** Group chat id (smart robot group messages only). */
  chatId?: string;
  chatType: 'single' | 'group';
  kind: UpdateKind;
  /** Text with any leading "@BotName" stripped. */
  text?: string;
  location?: UpdateLocation;
  event?: UpdateEvent;
  /** Media of image/voice/file messages (app: MediaId/PicUrl; robot: url). */
  media?: { mediaId?: string; url?: string; format?: string };
  /** Event time: `CreateTime` of the callback (or the page's server time). */
  time: Date;
  /** Smart robot: one-time URL for a later markdown reply (valid 1 h). */
  responseUrl?: string;
}
