import { defineCommand } from '../src/core/command.js';
import * as T from '../templates/reports.js';

/**
 * A photo sent in the app chat: attached to the cadre's report of the last `reports.photoMinutes`, otherwise a hint
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
    const minutes = ctx.deps.policy.reports.photoMinutes;
    const fresh = last && ctx.now.getTime() - new Date(last.at).getTime() <= minutes * 60_000;
    const report = fresh ? await repo.get(last.no) : undefined;
    if (!report || report.userId !== cadre.userid) return { text: T.imageNoReport(minutes) };
    const media = ctx.update.media ?? {};
    repo.addImage(ctx.tx, cadre.userid, report.no, ctx.update.id, {
      ...(media.mediaId ? { mediaId: media.mediaId } : {}),
      ...(media.url ? { url: media.url } : {}),
      at: ctx.now.toISOString(),
    });
    return { text: T.imageAttached(report.no, report.images.length + 1) };
  },
});
