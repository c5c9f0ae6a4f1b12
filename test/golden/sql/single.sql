-- Task?$select=Name&$expand=Project  [single]
SELECT CAST((SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e0."Version" || '"') AS "@odata.etag", e0."TaskItemId" AS "TaskItemId", e0."Name" AS "Name", (SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e1."Version" || '"') AS "@odata.etag", e1."ProjectId" AS "ProjectId", e1."Name" AS "Name", e1."Description" AS "Description", e1."StartDateTime" AS "StartDateTime", e1."EndDateTime" AS "EndDateTime", e1."IsArchived" AS "IsArchived", e1."CreatedDateTime" AS "CreatedDateTime", e1."ModifiedDateTime" AS "ModifiedDateTime"
 FROM "project" e1
 WHERE e1."ProjectId" = e0."ProjectId"
 LIMIT 1) x) AS "Project") x) AS text) AS "j", CAST(e0."Version" AS text) AS "etag"
 FROM (SELECT e0.*
 FROM "task" "e0"
 LIMIT $1) "e0"
-- parameters: [2]
