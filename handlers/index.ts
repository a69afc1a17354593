/** Every command of the bot. Adding a command = adding a file in handlers/ and a line here. */
import { Registry, type AnySpec } from '../src/core/registry.js';
import backfill from './backfill.js';
import backfillDecide from './backfill-decide.js';
import checkin from './checkin.js';
import checkout from './checkout.js';
import help from './help.js';

export const commands: AnySpec[] = [checkin, checkout, backfill, backfillDecide, help];

export function createRegistry(): Registry {
  return new Registry(commands);
}
