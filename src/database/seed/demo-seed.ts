import type { DataSource } from 'typeorm';
import { createApiToken } from '../../features/access/tokens';

/** Fixed keys, so the README's examples work on every fresh install. */
export const DEMO = {
  projects: [
    '0b1c0000-0000-4000-8000-000000000001',
    '0b1c0000-0000-4000-8000-000000000002',
    '0b1c0000-0000-4000-8000-000000000003',
  ],
  projectNames: ['Website relaunch', 'Dental practice onboarding', 'Field service Q3'],
  contacts: [
    'c0000000-0000-4000-8000-000000000001',
    'c0000000-0000-4000-8000-000000000002',
    'c0000000-0000-4000-8000-000000000003',
    'c0000000-0000-4000-8000-000000000004',
    'c0000000-0000-4000-8000-000000000005',
    'c0000000-0000-4000-8000-000000000006',
    'c0000000-0000-4000-8000-000000000007',
    'c0000000-0000-4000-8000-000000000008',
  ],
  contactNames: [
    'Ada Admin',
    'Ed Editor',
    'Vera Viewer',
    'Noah Novak',
    'Mia Müller',
    'Liam Chen',
    'Sofia Rossi',
    'Omar Haddad',
  ],
};

const VERBS = ['Draft', 'Review', 'Update', 'Plan', 'Call', 'Fix', 'Prepare', 'Send', 'Check', 'Design'];
const THINGS = [
  'landing page',
  'invoice',
  'patient intake form',
  'sprint board',
  'supplier contract',
  'newsletter',
  'onboarding checklist',
  'service report',
  'release notes',
  'budget sheet',
  'appointment reminder',
  'route plan',
];

/**
 * Demo data for a first start: 3 projects with 5 Kanban columns each, 8 contacts, 200 tasks
 * with notes, checklist items, contributors, followers, tags, a custom field, plannings, two
 * risks and two documents linked to tasks. Deterministic (derived from row numbers; dates
 * relative to the day of loading), set-based (one statement per table, no per-row round
 * trips), and loaded only into a database without projects.
 */
export async function seedDemoData(dataSource: DataSource): Promise<boolean> {
  return dataSource.transaction(async (m) => {
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM project`);
    if (n > 0) return false;
    await m.query(
      `INSERT INTO contact ("ContactId", "DisplayName", "Email")
      SELECT id, name, lower(replace(split_part(name, ' ', 1), 'ü', 'ue')) || '@example.com' FROM unnest($1::uuid[], $2::text[]) AS c(id, name)`,
      [DEMO.contacts, DEMO.contactNames],
    );
    await m.query(
      `INSERT INTO project ("ProjectId", "Name", "Description", "StartDateTime", "EndDateTime")
      SELECT id, name, 'Demo project: ' || name, date_trunc('week', now()) - interval '14 days', date_trunc('week', now()) + interval '60 days'
      FROM unnest($1::uuid[], $2::text[]) AS p(id, name)`,
      [DEMO.projects, DEMO.projectNames],
    );
    await m.query(
      `INSERT INTO task_status ("TaskItemStatusId", "Name", "ProjectId", "OrdinalPosition", "Color", "WipLimit")
      SELECT md5('demo-status-' || p || '-' || s)::uuid, (ARRAY['Backlog','To do','In progress','Review','Done'])[s + 1], p, s,
             CASE WHEN s = 0 THEN NULL ELSE s * 3355443 END, CASE WHEN s = 2 THEN 8 END
      FROM unnest($1::uuid[]) AS p, generate_series(0, 4) s`,
      [DEMO.projects],
    );
    await m.query(
      `INSERT INTO planning ("PlanningId", "DisplayName", "ProjectId") SELECT md5('demo-planning-' || p)::uuid, 'Milestone 1', p FROM unnest($1::uuid[]) p`,
      [DEMO.projects],
    );
    await m.query(
      `INSERT INTO risk ("RiskId", "Name", "ProjectId", "Description") VALUES
      (md5('demo-risk')::uuid, 'Supplier delay', $1, 'Parts for the service vans may arrive late.'),
      (md5('demo-risk-2')::uuid, 'Content not ready', $2, 'Texts and images for the new pages are still missing.')`,
      [DEMO.projects[2], DEMO.projects[0]],
    );
    await m.query(
      `INSERT INTO document ("DocumentId", "FileName", "ContentType", "ProjectId") VALUES
      (md5('demo-doc')::uuid, 'requirements.pdf', 'application/pdf', $1),
      (md5('demo-doc-2')::uuid, 'intake-form-draft.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', $2)`,
      [DEMO.projects[0], DEMO.projects[1]],
    );
    await m.query(
      `INSERT INTO project_defined_field ("ProjectId", "FieldName", "DisplayName", "Type") VALUES ($1, 'pf_dt0_1a2b3c4d_Budget', 'Budget', 'Number')`,
      [DEMO.projects[0]],
    );

    await m.query(
      `INSERT INTO task ("TaskItemId", "Name", "ProjectId", "TaskItemStatusId", "ContactId", "PlanningId", "StartDateTime", "EndDateTime",
                     "IsDone", "WorkAmount", "CardPositionNumber", "DescriptionHTML", "IsBillable", "Tags", "CreatedByContactId", "RiskId", "ProjectDefinedFields")
      SELECT md5('demo-task-' || i)::uuid,
             ($3::text[])[1 + i % 10] || ' ' || ($4::text[])[1 + i % 12],
             ($1::uuid[])[1 + i % 3],
             md5('demo-status-' || ($1::uuid[])[1 + i % 3] || '-' || (i % 5))::uuid,
             CASE WHEN i % 9 = 0 THEN NULL ELSE ($2::uuid[])[1 + i % 8] END,
             CASE WHEN i % 4 = 0 THEN md5('demo-planning-' || ($1::uuid[])[1 + i % 3])::uuid END,
             date_trunc('day', now()) + ((i % 40) - 20) * interval '1 day',
             date_trunc('day', now()) + ((i % 40) - 20 + 1 + i % 5) * interval '1 day' + interval '17 hours',
             i % 5 = 4, (i % 8) + 0.5, (i / 15) + 1,
             '<p>' || ($3::text[])[1 + i % 10] || ' the ' || ($4::text[])[1 + i % 12] || ' for <b>' || ($5::text[])[1 + i % 3] || '</b>.</p>',
             i % 2 = 0,
             CASE WHEN i % 7 = 0 THEN ARRAY['urgent'] WHEN i % 3 = 0 THEN ARRAY['customer', 'q3'] ELSE ARRAY[]::text[] END,
             ($2::uuid[])[1 + (i * 3) % 8],
             CASE WHEN i % 3 = 2 AND i % 11 = 0 THEN md5('demo-risk')::uuid WHEN i % 3 = 0 AND i % 13 = 0 THEN md5('demo-risk-2')::uuid END,
             CASE WHEN i % 3 = 0 THEN jsonb_build_object('pf_dt0_1a2b3c4d_Budget', (i * 37) % 5000) ELSE '{}'::jsonb END
      FROM generate_series(1, 200) i`,
      [DEMO.projects, DEMO.contacts, VERBS, THINGS, DEMO.projectNames],
    );
    // Card positions 1..n per column, in a stable order.
    await m.query(`UPDATE task t SET "CardPositionNumber" = x.rn FROM (
      SELECT "TaskItemId", row_number() OVER (PARTITION BY "TaskItemStatusId" ORDER BY "EndDateTime", "TaskItemId") AS rn FROM task) x
      WHERE t."TaskItemId" = x."TaskItemId"`);
    await m.query(
      `INSERT INTO task_item_note ("TaskItemId", "Note", "NoteHtml", "ShortDescription", "CreatedByContactId")
      SELECT md5('demo-task-' || i)::uuid, note, '<p>' || note || '</p>', left(note, 40), ($1::uuid[])[1 + (i + k) % 8]
      FROM generate_series(1, 200) i, generate_series(1, 2) k,
           LATERAL (SELECT (ARRAY['Waiting for feedback from the customer.', 'Moved the deadline after the call.', 'Attached the latest draft.',
                                 'Blocked by the supplier, see risk.'])[1 + (i + k) % 4] AS note) n
      WHERE i % 3 <> 1 OR k = 1`,
      [DEMO.contacts],
    );
    await m.query(`INSERT INTO checklist_item ("TaskItemId", "Name", "IsDone", "OrdinalPosition")
      SELECT md5('demo-task-' || i)::uuid, (ARRAY['Gather input', 'First draft', 'Peer review', 'Sign-off'])[k], k <= i % 4, k
      FROM generate_series(1, 200) i, generate_series(1, 4) k WHERE i % 2 = 0`);
    await m.query(
      `INSERT INTO task_contributor ("TaskItemId", "ContactId", "WorkAmount")
      SELECT md5('demo-task-' || i)::uuid, ($1::uuid[])[1 + (i + 4) % 8], (i % 3) + 1 FROM generate_series(1, 200) i WHERE i % 5 = 0`,
      [DEMO.contacts],
    );
    await m.query(`INSERT INTO task_document ("TaskItemId", "DocumentId")
      SELECT md5('demo-task-' || i)::uuid, CASE i % 3 WHEN 0 THEN md5('demo-doc')::uuid ELSE md5('demo-doc-2')::uuid END
      FROM generate_series(1, 200) i WHERE i % 3 <> 2 AND i % 10 = 0`);
    await m.query(
      `INSERT INTO task_follower ("TaskItemId", "ContactId")
      SELECT md5('demo-task-' || i)::uuid, ($1::uuid[])[1 + (i + 2) % 8] FROM generate_series(1, 200) i WHERE i % 6 = 0`,
      [DEMO.contacts],
    );
    // Roles: Ada administers everything, Ed edits and Vera views every demo project; the rest
    // are editors of the project they work in.
    await m.query(`UPDATE contact SET "IsAdmin" = true WHERE "ContactId" = $1`, [DEMO.contacts[0]]);
    await m.query(
      `INSERT INTO project_member ("ProjectId", "ContactId", "Role")
      SELECT p, c, r FROM unnest($1::uuid[]) p,
        (VALUES ($2::uuid, 'Admin'), ($3::uuid, 'Editor'), ($4::uuid, 'Viewer')) AS x(c, r)`,
      [DEMO.projects, DEMO.contacts[0], DEMO.contacts[1], DEMO.contacts[2]],
    );
    await m.query(
      `INSERT INTO project_member ("ProjectId", "ContactId", "Role")
      SELECT ($1::uuid[])[1 + i % 3], c, 'Editor' FROM unnest($2::uuid[]) WITH ORDINALITY AS x(c, i)`,
      [DEMO.projects, DEMO.contacts.slice(3)],
    );
    for (const [i, token] of DEMO_TOKENS.entries()) await createApiToken(m, DEMO.contacts[i], 'demo', token);
    return true;
  });
}

/** Documented demo tokens (README), one per role: demo data only, never for production. */
export const DEMO_TOKENS = ['demo-admin-token', 'demo-editor-token', 'demo-viewer-token'];
