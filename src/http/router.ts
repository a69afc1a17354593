/**
 * The one way the app makes a router: paths match exactly — case-sensitive and strict about a trailing slash —
 * so a route has one spelling, and a check bound to that spelling (a prefix, a proxy rule, a log filter) can
 * never be walked around by `/Admin/Sheet` or `/admin/sheet/`. Other spellings are 404.
 */
import Router from '@koa/router';

/** A `@koa/router` Router with exact path matching, under `prefix` when given. */
export function createRouter(opts: { prefix?: string } = {}): Router {
  return new Router({ ...opts, sensitive: true, strict: true });
}
