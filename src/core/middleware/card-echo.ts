import type { Middleware } from './compose.js';
import type { Turn } from './turn.js';

/**
 * WeCom answers a card click only by updating the card ([D:90241]: `update_button` / `update_template_card`),
 * so a click whose reply changes no button (a refusal, a question) would show the person nothing: after the
 * command, its sentence goes to them as an app message instead.
 */
export const cardEcho: Middleware<Turn> = async (ctx, next) => {
  await next();
  const { update, reply } = ctx;
  if (update.event?.type !== 'template_card_event' || !reply?.text || reply.replaceButton) return;
  ctx.send({
    key: `click-reply:${update.id}`,
    to: { kind: 'user', userIds: [update.userId] },
    body: { type: 'text', content: reply.text },
    purpose: 'approval',
  });
};
