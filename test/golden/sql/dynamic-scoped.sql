-- DynamicTaskItem?$select=TaskItem_Name,Permission_CanEdit&$filter=Permission_CanEdit  (scoped)
SELECT CAST((SELECT CAST(CASE WHEN d IS NULL THEN r ELSE left(r, -1) || ',' || substr(d, 2) END AS json)
 FROM (SELECT CAST((SELECT row_to_json(x)
 FROM (SELECT e0."TaskItem_TaskItemId" AS "TaskItem_TaskItemId", e0."TaskItem_Name" AS "TaskItem_Name", ((e0."TaskItem_ProjectId" IS NULL)
 OR (SELECT pm."Role"
 FROM project_member pm
 WHERE pm."ProjectId" = e0."TaskItem_ProjectId"
 AND pm."ContactId" = CAST($1 AS uuid)) IN ('Editor', 'Admin')) AS "Permission_CanEdit") x) AS text) AS r, CAST((SELECT json_object_agg(d.k, d.v
 ORDER BY d.n, d.k)
 FROM (SELECT 'CF_' || f.key, CAST(f.value AS json), 0
 FROM jsonb_each(e0."CustomFields") f
 WHERE f.key <> ALL(CAST($2 AS text[]))
 AND 'CF_' || f.key = ANY(CAST($3 AS text[]))) AS d(k, v, n)) AS text) AS d) y) AS text) AS "j", CAST(e0."__o0" AS text) AS "k0"
 FROM (SELECT e0.*, e0."TaskItem_TaskItemId" AS "__o0"
 FROM "dynamic_task_item" "e0"
 WHERE (e0."TaskItem_ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($4 AS uuid))
 OR (e0."TaskItem_ProjectId" IS NULL
 AND (e0."TaskItem_CreatedByContactId" = CAST($5 AS uuid)
 OR e0."TaskItem_ContactId" = CAST($5 AS uuid))))
 AND ((e0."TaskItem_ProjectId" IS NULL)
 OR (SELECT pm."Role"
 FROM project_member pm
 WHERE pm."ProjectId" = e0."TaskItem_ProjectId"
 AND pm."ContactId" = CAST($1 AS uuid)) IN ('Editor', 'Admin'))
 ORDER BY e0."TaskItem_TaskItemId" ASC
 LIMIT $6) "e0"
 ORDER BY e0."__o0" ASC NULLS FIRST
-- parameters: ["00000000-0000-4000-8000-0000000000c1",[],["TaskItem_Name","Permission_CanEdit"],"00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1",101]
