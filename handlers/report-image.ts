import { defineCommand } from '../src/core/command.js';
import { IMAGE_WINDOW_S } from '../src/reports/repo.js';
import * as T from '../templates/reports.js';

/**
 * A photo sent in the app chat: attached to the cadre's report of the last 10 minutes, otherwise a short hint
 * (photos are optional; nobody is asked to send them).
 */
export default defineCommand({
  id: 'report-image',
  aliases: [],
  roles: 'any',
  hidden: true,
  help: { summary: T.help.report.summary, usage: T.help.report.usage, examples: [] },
  kinds: ['image'],
  async handle(ctx) {
    const cadre = ctx.person.cadre;
    if (!cadre) return { text: T.imageNotCadre };
    const repo = ctx.repos.reports;
    const last = await repo.last(cadre.userid);
    const fresh = last && ctx.now.getTime() - new Date(last.at).getTime() <= IMAGE_WINDOW_S * 1000;
    const report = fresh ? await repo.get(last.no) : undefined;
    if (!report || report.userId !== cadre.userid) return { text: T.imageNoReport };
    const media = ctx.update.media ?? {};
    repo.addImage(ctx.tx, cadre.userid, report.no, ctx.update.id, {
      ...(media.mediaId ? { mediaId: media.mediaId } : {}),
      ...(media.url ? { url: media.url } : {}),
      at: ctx.now.toISOString(),
    });
    return { text: T.imageAttached(report.no, report.images.length + 1) };
  },
});
