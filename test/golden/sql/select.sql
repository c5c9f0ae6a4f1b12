-- Task?$select=Name,WorkAmount
SELECT CAST((SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e0."Version" || '"') AS "@odata.etag", e0."TaskItemId" AS "TaskItemId", e0."Name" AS "Name", e0."WorkAmount" AS "WorkAmount") x) AS text) AS "j", CAST(e0."__o0" AS text) AS "k0", CAST(e0."Version" AS text) AS "etag"
 FROM (SELECT e0.*, e0."TaskItemId" AS "__o0"
 FROM "task" "e0"
 ORDER BY e0."TaskItemId" ASC
 LIMIT $1) "e0"
 ORDER BY e0."__o0" ASC NULLS FIRST
-- parameters: [101]
