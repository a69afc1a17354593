/**
 * Read a small JSON body with a size limit; anything that is not JSON comes back as undefined so the caller's
 * schema refuses it with a 400 rather than the process throwing.
 */
import type { Context } from 'koa';
import getRawBody from 'raw-body';

export async function readJson(ctx: Context, limit: number): Promise<unknown> {
  try {
    const raw = await getRawBody(ctx.req, { limit, encoding: 'utf8' });
    return JSON.parse(raw) as unknown;
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') ctx.throw(413, 'body too large');
    return undefined;
  }
}
