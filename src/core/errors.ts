/**
 * Typed errors. `userMessage` is the Chinese sentence a person sees (always from templates/); `code` and the
 * context go to the log. Nothing is swallowed: the core logs every error with its update.
 */
export class BotError extends Error {
  override name = 'BotError';
  constructor(
    readonly code: string,
    readonly userMessage: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(`${code}: ${userMessage}`);
  }
}

/**
 * The update's effect could not be committed, or its messages could not be queued after the commit. The edge
 * answers with a status WeCom retries: a retry finds the committed outcome (and queues its messages again, which
 * the outbox ignores if they are there) or, when nothing was committed, processes the update afresh.
 */
export class CommitError extends Error {
  override name = 'CommitError';
}

/** Refusal of a request that changes nothing (bad arguments, not allowed, out of window). */
export function refuse(code: string, userMessage: string, context?: Record<string, unknown>): never {
  throw new BotError(code, userMessage, context);
}
