-- Task?$filter=Name eq 'x'&$search=blue  (scoped)  [count]
SELECT count(*) AS "count"
 FROM "task" "e0"
 WHERE (e0."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($1 AS uuid))
 OR (e0."ProjectId" IS NULL
 AND (e0."CreatedByContactId" = CAST($2 AS uuid)
 OR e0."ContactId" = CAST($2 AS uuid))))
 AND (e0."Name" = CAST($3 AS text))
 AND (e0."TaskItemId" IN (SELECT s2."TaskItemId"
 FROM "task" s2
 WHERE s2."SearchVector" @@ plainto_tsquery(CAST(CAST($4 AS text) AS regconfig), CAST($5 AS text)) UNION SELECT s1."TaskItemId"
 FROM "task_item_note" s1
 WHERE s1."SearchVector" @@ plainto_tsquery(CAST(CAST($4 AS text) AS regconfig), CAST($5 AS text))
 AND EXISTS (SELECT 1
 FROM task s1_t
 WHERE s1_t."TaskItemId" = s1."TaskItemId"
 AND (s1_t."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($6 AS uuid))
 OR (s1_t."ProjectId" IS NULL
 AND (s1_t."CreatedByContactId" = CAST($7 AS uuid)
 OR s1_t."ContactId" = CAST($7 AS uuid)))))))
-- parameters: ["00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","x","simple","blue","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1"]
