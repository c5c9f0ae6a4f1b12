/**
 * The benchmark data set of docs/DATASET.md as SQL: one INSERT ... SELECT over generate_series
 * per table. Keys are `uuid(seed)`: the MD5 of the seed with the version nibble set to 4 and the
 * variant bits to 10 (exactly the '89ab'[h17 mod 4] rule), as a session-local SQL function.
 */

/**
 * uuid(seed) for this session only (pg_temp: nothing is left in the service's schema).
 * Written as one expression (no FROM) so PostgreSQL inlines it: md5() is cheap enough to repeat.
 * Byte 6 = h[13..14] -> '4' h[14];  byte 8 = h[17..18] -> (h17 & 3 | 8) h[18].
 */
export const CREATE_UUID_FUNCTION = `
CREATE OR REPLACE FUNCTION pg_temp.bench_uuid(seed text) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT encode(set_byte(set_byte(decode(md5(seed), 'hex'),
    6, (get_byte(decode(md5(seed), 'hex'), 6) & 15) | 64),
    8, (get_byte(decode(md5(seed), 'hex'), 8) & 63) | 128), 'hex')::uuid
$$`;

/** Calls must name the schema: functions in pg_temp are never found through the search path. */
export const uuidSql = (seedExpr: string) => `pg_temp.bench_uuid(${seedExpr})`;

/** The examples of DATASET.md, checked before anything is loaded. */
export const UUID_SELF_CHECK: Array<[string, string]> = [
  ['project-7', 'c0ec1ecf-1a01-47dc-9ead-1116de86429e'],
  ['project-10', 'cd0e3927-8499-4c65-bd39-0856d19c08c5'],
  ['task-1', 'c146b6ad-3827-4b93-9d94-d82f20703136'],
  ['task-12345', '73341439-9838-4ab0-b2d9-44a679cc1458'],
];

/** e(i) = 2025-01-01T00:00:00Z + (i % 730) days (the session runs in UTC). */
const e = (i: string) => `(timestamptz '2025-01-01 00:00:00+00' + (${i} % 730) * interval '1 day')`;

/**
 * Key arrays built once per statement (InitPlans), so a task row costs one md5 (its own key)
 * instead of six: element [k + 1] is uuid('<prefix>-<k>').
 */
const KEY_ARRAYS = `
  keys AS MATERIALIZED (SELECT
    (SELECT array_agg(${uuidSql(`'project-' || p`)} ORDER BY p) FROM generate_series(0, 999) p) AS project,
    (SELECT array_agg(${uuidSql(`'contact-' || c`)} ORDER BY c) FROM generate_series(0, 9999) c) AS contact,
    (SELECT array_agg(${uuidSql(`'group-' || g`)} ORDER BY g) FROM generate_series(0, 99) g) AS grp,
    (SELECT array_agg(${uuidSql(`'status-' || p || '-' || s`)} ORDER BY p, s)
       FROM generate_series(0, 999) p CROSS JOIN generate_series(0, 4) s) AS status)`;

/** Status ordinal of task i: 4 (Done) if i % 3 = 0, else i % 4. */
const statusOrdinal = (i: string) => `(CASE WHEN ${i} % 3 = 0 THEN 4 ELSE ${i} % 4 END)`;

export const INSERT_PROJECTS = `
INSERT INTO project ("ProjectId", "Name")
SELECT ${uuidSql(`'project-' || p`)}, 'Project ' || p FROM generate_series(0, 999) p`;

export const INSERT_CONTACTS = `
INSERT INTO contact ("ContactId", "DisplayName")
SELECT ${uuidSql(`'contact-' || c`)}, 'Contact ' || c FROM generate_series(0, 9999) c`;

export const INSERT_STATUSES = `
INSERT INTO task_status ("TaskItemStatusId", "Name", "ProjectId", "OrdinalPosition", "Color")
SELECT ${uuidSql(`'status-' || p || '-' || s`)},
       (ARRAY['Backlog', 'To do', 'In progress', 'Review', 'Done'])[s + 1],
       ${uuidSql(`'project-' || p`)}, s, CASE WHEN s = 0 THEN NULL ELSE s * 3355443 END
FROM generate_series(0, 999) p CROSS JOIN generate_series(0, 4) s`;

/**
 * Tasks first..last (bigint, so i * 37 cannot overflow). Runs with triggers off
 * (session_replication_role = replica), so the derived ContactDisplayName is filled here with
 * what the trigger would have written: the assignee's DisplayName.
 */
export const INSERT_TASKS = `
WITH ${KEY_ARRAYS}
INSERT INTO task ("TaskItemId", "Name", "TaskItemStatusId", "ContactId", "ProjectId", "GroupId",
  "StartDateTime", "EndDateTime", "IsDone", "DoneDate", "WorkAmount", "CustomColor", "CardPositionNumber",
  "DescriptionHTML", "IsBillable", "Recurrence", "CreatedByContactId", "ContactDisplayName")
SELECT ${uuidSql(`'task-' || i`)},
  'Task ' || i,
  k.status[(i % 1000) * 5 + ${statusOrdinal('i')} + 1],
  k.contact[i % 10000 + 1],
  k.project[i % 1000 + 1],
  k.grp[i % 100 + 1],
  CASE WHEN i % 11 = 0 THEN NULL ELSE ${e('i')} - (i % 7) * interval '1 day' END,
  ${e('i')},
  i % 3 = 0,
  CASE WHEN i % 3 = 0 THEN ${e('i')} END,
  (i % 40) / 2.0,
  ((i * 37) % 16777216)::int,
  i::int,
  '<p>Description of <b>Task ' || i || '</b></p>',
  i % 2 = 0,
  (i % 4)::int,
  k.contact[(i * 7) % 10000 + 1],
  'Contact ' || (i % 10000)
FROM keys k CROSS JOIN generate_series($1::bigint, $2::bigint) i`;

/** Notes k = 1, 2 of every task i with i % 10 = 0, for tasks first..last. */
export const INSERT_NOTES = `
WITH ${KEY_ARRAYS}
INSERT INTO task_item_note ("TaskItemNoteId", "TaskItemId", "Note", "NoteHtml", "ShortDescription", "CreateDateTime", "CreatedByContactId")
SELECT ${uuidSql(`'note-' || i || '-' || n`)},
  ${uuidSql(`'task-' || i`)},
  'Note ' || n || ' for task ' || i,
  '<p>Note ' || n || ' for task ' || i || '</p>',
  'Note ' || n,
  timestamptz '2024-12-01 00:00:00+00' + (i % 730) * interval '1 day' + n * interval '1 hour',
  k.contact[(i + n) % 10000 + 1]
FROM keys k CROSS JOIN generate_series(((($1::bigint + 9) / 10) * 10), $2::bigint, 10) i CROSS JOIN generate_series(1, 2) n`;

/** The rule values of task i as canonical JSON (the 17 properties of DATASET.md), for expected answers. */
export const ruleTaskJson = (i: string) => `json_build_object(
  'TaskItemId', ${uuidSql(`'task-' || ${i}`)},
  'Name', 'Task ' || ${i},
  'TaskItemStatusId', ${uuidSql(`'status-' || (${i} % 1000) || '-' || ${statusOrdinal(i)}`)},
  'ContactId', ${uuidSql(`'contact-' || (${i} % 10000)`)},
  'ProjectId', ${uuidSql(`'project-' || (${i} % 1000)`)},
  'GroupId', ${uuidSql(`'group-' || (${i} % 100)`)},
  'StartDateTime', CASE WHEN ${i} % 11 = 0 THEN NULL ELSE to_char(${e(i)} - (${i} % 7) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END,
  'EndDateTime', to_char(${e(i)}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'IsDone', ${i} % 3 = 0,
  'DoneDate', CASE WHEN ${i} % 3 = 0 THEN to_char(${e(i)}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END,
  'WorkAmount', ((${i} % 40) / 2.0)::float8,
  'CustomColor', (${i} * 37) % 16777216,
  'CardPositionNumber', ${i},
  'DescriptionHTML', '<p>Description of <b>Task ' || ${i} || '</b></p>',
  'IsBillable', ${i} % 2 = 0,
  'Recurrence', ${i} % 4,
  'CreatedByContactId', ${uuidSql(`'contact-' || ((${i} * 7) % 10000)`)})`;

/** The rule values of the notes of task i as a JSON array. */
export const ruleNotesJson = (i: string) => `(SELECT json_agg(json_build_object(
  'TaskItemNoteId', ${uuidSql(`'note-' || ${i} || '-' || n`)},
  'TaskItemId', ${uuidSql(`'task-' || ${i}`)},
  'Note', 'Note ' || n || ' for task ' || ${i},
  'NoteHtml', '<p>Note ' || n || ' for task ' || ${i} || '</p>',
  'ShortDescription', 'Note ' || n,
  'CreateDateTime', to_char(timestamptz '2024-12-01 00:00:00+00' + (${i} % 730) * interval '1 day' + n * interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'CreatedByContactId', ${uuidSql(`'contact-' || ((${i} + n) % 10000)`)}) ORDER BY n)
  FROM generate_series(1, 2) n WHERE ${i} % 10 = 0)`;
