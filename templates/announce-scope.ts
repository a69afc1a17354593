/** The words an announcement's audience is named with on the preview, the card and the replies. */

/** The roles an audience may name, as the preview writes them. */
export const ROLE_LABELS = { secretary: '书记', member: '队员', leader: '领队' } as const;

/** Named people as one audience: `王建国、李晓燕`. */
export const peopleLabel = (names: readonly string[]): string => names.join('、');

/** The whole county, as a sender's range. */
export const COUNTY_LABEL = '全县';
