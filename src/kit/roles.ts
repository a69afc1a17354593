/** Roles a person can hold; one person may hold several (a cadre who is also a team leader). */
export type Role = 'cadre' | 'team-leader' | 'township' | 'sending-unit' | 'org';

export const ALL_ROLES: readonly Role[] = ['cadre', 'team-leader', 'township', 'sending-unit', 'org'];

/** Supervising roles: they may read other people's figures within their scope. */
export const SUPERVISOR_ROLES: readonly Role[] = ['team-leader', 'township', 'sending-unit', 'org'];
