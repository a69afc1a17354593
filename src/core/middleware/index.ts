/**
 * The rules around every command, in the order they apply. A new rule (a follow-up question, a scope check, a
 * per-person rate limit) is a middleware in its own file, added here where its place in the order is.
 */
import { cardEcho } from './card-echo.js';
import { compose, when, type Middleware } from './compose.js';
import { followUp } from './follow-up.js';
import { knownPerson } from './known-person.js';
import { messageSize } from './message-size.js';
import { privateOnly } from './private-only.js';
import { refusal } from './refusal.js';
import { role } from './role.js';
import { route } from './route.js';
import { runCommand } from './run-command.js';
import { hasCommand, hasPerson, type Turn } from './turn.js';

export const coreMiddleware: Middleware<Turn> = compose(
  // A text over the policy's size is refused before anything reads it.
  messageSize,
  // Only people on the roster get further.
  knownPerson,
  when(
    hasPerson,
    // Rules about who writes, whatever they ask, go here (before the command is known).
    // A question the bot asked in this chat: the answer is routed to the command that asked.
    followUp,
    route,
    when(
      hasCommand,
      // Rules about who may run the command; a refusal here is a plain answer (not echoed after a card click).
      role,
      privateOnly,
      // Around the command itself: the echo sees the reply of a refusal too, so it sits outside `refusal`.
      cardEcho,
      refusal,
      runCommand,
    ),
  ),
);
