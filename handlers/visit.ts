import { defineCommand, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { localDate } from '../src/kit/dates.js';
import { originalText } from '../src/reports/original-text.js';
import { obligations } from '../src/visits/obligations.js';
import { visitListView } from '../src/visits/list.js';
import { recordVisit } from '../src/visits/record.js';
import { MAX_VISIT_NOTE_CHARS } from '../src/visits/visit.js';
import {
  findVillage,
  isVisitor,
  seesVisits,
  unitsOfVillage,
  villagesOfUnit,
  visitScope,
} from '../src/visits/visitors.js';
import * as T from '../templates/visits.js';

/** The check-in page link opened for a visit to this village. */
export function visitLink(checkinLink: string, villageId: string): string {
  return `${checkinLink}?visit=${encodeURIComponent(villageId)}`;
}

/**
 * `到村 北堡村 [调研内容]`: a visiting leader (四包一 contact, sending-unit leader, county leader) asks for the
 * check-in page opened for a visit to the village; the note waits for the visit recorded there today. When today's
 * visit is already recorded (by the page or an automatic location report), the note is added to it.
 */
export const visit = defineCommand({
  id: 'visit',
  aliases: ['到村', '到村调研'],
  roles: 'any',
  usableBy: (person, roster) => isVisitor(roster, person),
  help: T.help.visit,
  privateOnly: true,
  async handle(ctx, rest) {
    const { roster, person } = ctx;
    if (!isVisitor(roster, person)) refuse('visit_not_visitor', T.notAVisitor);
    const names = roster.data.villages.map((v) => v.name);
    const [word = '', ...noteWords] = rest.split(' ').filter(Boolean);
    if (!word) refuse('visit_need_village', T.needVillage(names));
    const village = findVillage(roster, word);
    if (!village) refuse('visit_unknown_village', T.unknownVillage(word, names), { word });
    // The note as written (full-width punctuation kept), not as normalised for reading the command.
    const note = originalText(ctx.update.text, noteWords.join(' ').trim());
    if ([...note].length > MAX_VISIT_NOTE_CHARS) refuse('visit_note_too_long', T.noteTooLong(MAX_VISIT_NOTE_CHARS));
    const repo = ctx.repos.visits;
    const today = localDate(ctx.now);
    const earlier = (await repo.ofUser(person.userid)).find(
      (v) => v.village === village.id && localDate(new Date(v.at)) === today,
    );
    if (earlier) {
      if (!note) return { text: T.alreadyToday(earlier.no, village.name) };
      repo.save(ctx.tx, { ...earlier, note }, { previous: earlier });
      return { text: T.noteAdded(earlier.no, village.name) };
    }
    repo.setIntent(ctx.tx, person.userid, { village: village.id, date: today, ...(note ? { note } : {}) });
    const url = visitLink(ctx.deps.checkinLink, village.id);
    const { title, description } = T.visitCard;
    const text = description(village.name, note || undefined);
    return { text: `${text}\n${url}`, card: { kind: 'text_notice', title, description: text, url } };
  },
});

/**
 * A position from a visiting leader: the check-in page opened for a visit, or an automatic LOCATION report.
 * Recorded only inside the village's geofence; a point picked on the map is never a visit.
 */
export const visitLocation = defineCommand({
  id: 'visit-location',
  aliases: [],
  roles: 'any',
  hidden: true,
  help: T.help.visit,
  kinds: ['location'],
  takes: (update, { person, roster }) =>
    update.location?.visit !== undefined || (person !== undefined && roster !== undefined && isVisitor(roster, person)),
  async handle(ctx) {
    const loc = ctx.update.location!;
    if (!isVisitor(ctx.roster, ctx.person)) refuse('visit_not_visitor', T.pageNotAVisitor);
    if (loc.source === 'message') return { text: T.locationMessage };
    const auto = loc.source === 'auto';
    const outcome = await recordVisit(
      { repo: ctx.repos.visits, tx: ctx.tx, roster: ctx.roster, policy: ctx.deps.policy },
      {
        userId: ctx.person.userid,
        at: ctx.update.time,
        source: auto ? 'auto' : 'page',
        point: { lat: loc.lat, lng: loc.lng },
        ...(loc.precision !== undefined ? { accuracyM: loc.precision } : {}),
        ...(loc.visit !== undefined ? { village: loc.visit } : {}),
      },
    );
    switch (outcome.kind) {
      case 'nowhere':
        return null;
      case 'unknown-village':
        return refuse('visit_unknown_village', T.pageUnknownVillage);
      case 'refused': {
        if (auto) return null;
        const j = outcome.judgement;
        const text =
          j.reason === 'outside'
            ? T.outside(outcome.village.name, j.distanceM, j.radiusM)
            : T.imprecise(outcome.village.name, j.accuracyM);
        return refuse(`visit_${j.reason}`, text, { village: outcome.village.id, distanceM: j.distanceM });
      }
      case 'already':
        if (auto) {
          ctx.tx.clear();
          return null;
        }
        return { text: T.alreadyToday(outcome.visit.no, outcome.village.name), meta: { counts: true } };
      case 'recorded': {
        const v = outcome.visit;
        if (auto) return { text: T.autoRecorded(outcome.village.name, v.no, v.at), meta: { counts: true } };
        const text = T.recorded(
          {
            no: v.no,
            village: outcome.village.name,
            at: v.at,
            distanceM: v.distanceM,
            ...(v.note ? { note: v.note } : {}),
          },
          ctx.deps.policy.visits.photoMinutes,
        );
        return { text, meta: { counts: true } };
      }
    }
  },
});

/** A photo from a visiting leader: attached to their visit of the last `visits.photoMinutes`. */
export const visitPhoto = defineCommand({
  id: 'visit-photo',
  aliases: [],
  roles: 'any',
  hidden: true,
  help: T.help.visit,
  kinds: ['image'],
  takes: (_update, { person, roster }) => person !== undefined && roster !== undefined && isVisitor(roster, person),
  async handle(ctx) {
    const repo = ctx.repos.visits;
    const userId = ctx.person.userid;
    const minutes = ctx.deps.policy.visits.photoMinutes;
    const last = await repo.last(userId);
    const fresh = last && ctx.now.getTime() - new Date(last.at).getTime() <= minutes * 60_000;
    const visit = fresh ? await repo.get(userId, last.no) : undefined;
    if (!visit) return { text: T.photoNoVisit(minutes) };
    const media = ctx.update.media ?? {};
    repo.addPhoto(ctx.tx, visit, {
      ...(media.mediaId ? { mediaId: media.mediaId } : {}),
      ...(media.url ? { url: media.url } : {}),
      at: ctx.now.toISOString(),
    });
    return { text: T.photoAttached(visit.no, visit.photos.length + 1) };
  },
});

/** `走访记录 [村名或派出单位]`: the visits and the units' obligations within the asker's scope. */
export const visitList = defineCommand({
  id: 'visit-list',
  aliases: ['走访记录', '到村记录', '调研记录'],
  roles: 'any',
  usableBy: (person, roster) => seesVisits(roster, person),
  help: T.help.visits,
  privateOnly: true,
  async handle(ctx, rest) {
    return { text: T.visitList(await listView(ctx, rest.trim())) };
  },
});

async function listView(ctx: Context, word: string): Promise<T.VisitListView> {
  const { roster, person } = ctx;
  let scope = visitScope(roster, person);
  if (word) {
    const village = findVillage(roster, word);
    if (village && scope.villages.includes(village.id))
      scope = {
        ...scope,
        villages: [village.id],
        units: unitsOfVillage(roster, village.id).filter((u) => scope.units.includes(u)),
      };
    else if (scope.units.includes(word))
      scope = {
        ...scope,
        units: [word],
        villages: villagesOfUnit(roster, word).filter((v) => scope.villages.includes(v)),
      };
    else refuse('visit_list_not_in_scope', T.listNotInScope(word), { word });
  }
  const repo = ctx.repos.visits;
  const today = localDate(ctx.now);
  const [byVillage, byUnit] = await Promise.all([
    Promise.all(scope.villages.map(async (id) => [id, await repo.ofVillage(id)] as const)),
    repo.ofUnits(scope.units),
  ]);
  const units = new Set(scope.units);
  const owed = obligations(roster, today, ctx.deps.policy.visits.halfYear, byUnit).filter((o) => units.has(o.unit));
  const detail = word !== '' || scope.villages.length + scope.units.length <= 1;
  return visitListView(roster, today, { ...scope, detail }, new Map(byVillage), owed);
}
