import type { EntityManager } from 'typeorm';

export const ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

export function atLeast(role: string | undefined, needed: Role): boolean {
  return role !== undefined && ROLES.indexOf(role as Role) >= ROLES.indexOf(needed);
}

export async function roleIn(
  m: EntityManager,
  projectId: string,
  contactId: string,
): Promise<Role | undefined> {
  const [row] = await m.query(
    `SELECT "Role" FROM project_member WHERE "ProjectId" = $1 AND "ContactId" = $2`,
    [projectId, contactId],
  );
  return row?.Role;
}
