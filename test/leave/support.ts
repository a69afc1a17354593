/**
 * Moved: the leave-bot builder is test/helpers/leave-bot.ts and the update builders are test/helpers/bot.ts.
 * This re-export keeps tests written against the old path compiling; new tests import the helpers directly.
 */
export { clickUpdate, groupUpdate, textUpdate } from '../helpers/bot.js';
export { dataSnapshot, leaveAndBackfillRegistry, leaveBot, leaveRegistry, recordingLogger } from '../helpers/leave-bot.js';
