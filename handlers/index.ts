/** Every command of the bot. Adding a command = adding a file in handlers/ and a line here. */
import { Registry, type AnySpec } from '../src/core/registry.js';
import help from './help.js';

export const commands: AnySpec[] = [help];

export function createRegistry(): Registry {
  return new Registry(commands);
}
