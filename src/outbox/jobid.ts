/**
 * BullMQ job ids from idempotency keys. The caller's key (`digest:township-3:2026-11-18`) becomes the job id,
 * so BullMQ itself refuses a second job with the same key. BullMQ 5 forbids ':' in custom ids and ids that read
 * as integers, so ':' and '%' are percent-encoded, and the first character of an integer-looking key too; the
 * encoding is reversible and leaves every other key readable.
 */
const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** The BullMQ job id of an idempotency key. */
export function jobIdFor(key: string): string {
  const id = key.replace(/[%:]/g, hex);
  return `${parseInt(id, 10)}` === id ? hex(id[0]!) + id.slice(1) : id;
}

/** The idempotency key a job id was made from. */
export function keyOfJobId(id: string): string {
  return id.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
