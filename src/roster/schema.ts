/**
 * The roster: townships, work groups, villages, cadres, supervisors, other people (county leaders and other
 * contacts), each village's four contacts (四包一), each sending unit's leaders, the township leaders' mentees
 * (传帮带) and group chats. Validated with zod so that
 * an error names the file, the entry and the field (see `formatRosterError`).
 */
import { z } from 'zod';

const id = z.string().trim().min(1);
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .or(z.date().transform((d) => d.toISOString().slice(0, 10)));

export const townshipSchema = z.strictObject({
  id,
  name: id,
  usesWecomCheckin: z.boolean().default(false),
});

export const workGroupSchema = z.strictObject({
  id,
  name: id,
  township: id,
  villages: z.array(id).min(1),
});

export const villageSchema = z.strictObject({
  id,
  name: id,
  township: id,
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** Geofence radius in metres; the policy's default when absent. */
  radius: z.number().positive().optional(),
  households: z.number().int().positive().optional(),
});

export const cadreSchema = z.strictObject({
  userid: id,
  name: id,
  role: z.enum(['书记', '委员']),
  village: id,
  sendingUnit: id,
  termStart: date,
  termEnd: date,
  teamLeader: z.boolean().default(false),
  /**
   * First day in post in this village, when an import opens a new assignment (a new cadre, a move, a new term)
   * on another day than the default (the term start for a new cadre, the import date for a move).
   */
  since: date.optional(),
  /** userid of the cadre this one takes over from: that cadre's assignment ends the day before this one's starts. */
  replaces: id.optional(),
});

/** Why a cadre who leaves the roster left, when the file says so (`departures`). */
export const departureReasons = ['recalled', 'moved', 'term-end', 'rotation'] as const;

/**
 * A cadre who left: not among `cadres` any more, their assignment ends on `on` (their last day in post) for
 * `reason` (召回, 调整, 任期届满, 轮换). Without an entry a cadre missing from the file ends the day before the import.
 */
export const departureSchema = z.strictObject({
  userid: id,
  on: date,
  reason: z.enum(departureReasons),
});

export const supervisorSchema = z.strictObject({
  userid: id,
  name: id,
  kind: z.enum(['township', 'sending-unit', 'org-department']),
  /** township id (township), sending unit name (sending-unit), or `county` (org-department). */
  scope: id,
  title: z.string().optional(),
});

/**
 * Someone the bot must know who is neither a cadre nor a supervisor: a county leader linked to villages, a
 * sending unit's leader who approves no leave. Known by their WeCom userid, like everyone on the roster.
 */
export const personSchema = z.strictObject({
  userid: id,
  name: id,
  title: z.string().optional(),
});

/**
 * A village's four contacts (四包一): a county leader, the township's party or government head, a deputy head
 * or office director of the organisation department, and a head of a sending unit. Each a userid on the roster
 * (a cadre, a supervisor or one of `people`).
 */
export const villageContactsSchema = z.strictObject({
  village: id,
  countyLeader: id,
  townshipHead: id,
  orgDepartment: id,
  sendingUnit: id,
});

/** The four contacts of a village by field, in the order the file and messages give them. */
export const CONTACT_FIELDS = ['countyLeader', 'townshipHead', 'orgDepartment', 'sendingUnit'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** A sending unit (by the name the cadres' `sendingUnit` gives): its main leader and its deputy in charge. */
export const sendingUnitSchema = z.strictObject({
  name: id,
  mainLeader: id,
  deputy: id,
});

/** A township leader (a supervisor of kind township) and the cadres they mentor (传帮带). */
export const mentorSchema = z.strictObject({
  userid: id,
  cadres: z.array(id).min(1),
});

export const groupSchema = z
  .strictObject({
    chatid: id,
    township: id.optional(),
    workGroup: id.optional(),
    /** Name of the environment variable holding the group robot's webhook key (keys never sit in the roster). */
    webhookKeyEnv: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name such as WEBHOOK_XINTIAN')
      .optional(),
  })
  .refine((g) => Boolean(g.township) !== Boolean(g.workGroup), {
    message: 'give exactly one of township or workGroup',
  });

export const rosterSchema = z.strictObject({
  county: z.string().optional(),
  sample: z.boolean().optional(),
  townships: z.array(townshipSchema).min(1),
  workGroups: z.array(workGroupSchema).default([]),
  villages: z.array(villageSchema).min(1),
  cadres: z.array(cadreSchema).default([]),
  supervisors: z.array(supervisorSchema).default([]),
  // The next four sections came after the first release: a roster stored before has none of them.
  people: z.array(personSchema).optional(),
  contacts: z.array(villageContactsSchema).optional(),
  sendingUnits: z.array(sendingUnitSchema).optional(),
  mentors: z.array(mentorSchema).optional(),
  groups: z.array(groupSchema).default([]),
  departures: z.array(departureSchema).optional(),
});

export type Township = z.output<typeof townshipSchema>;
export type WorkGroup = z.output<typeof workGroupSchema>;
export type Village = z.output<typeof villageSchema>;
export type Cadre = z.output<typeof cadreSchema>;
export type Supervisor = z.output<typeof supervisorSchema>;
export type Group = z.output<typeof groupSchema>;
export type OtherPerson = z.output<typeof personSchema>;
export type VillageContacts = z.output<typeof villageContactsSchema>;
export type SendingUnit = z.output<typeof sendingUnitSchema>;
export type Mentor = z.output<typeof mentorSchema>;
export type Departure = z.output<typeof departureSchema>;
export type RosterData = z.output<typeof rosterSchema>;
