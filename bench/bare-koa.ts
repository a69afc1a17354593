/** The reference endpoint of the webhook benchmark: Koa reading the body and answering a fixed string. */
import Koa from 'koa';
import getRawBody from 'raw-body';

const app = new Koa();
app.use(async (ctx) => {
  await getRawBody(ctx.req, { limit: '1mb' });
  ctx.body = 'success';
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('listening\n'));
