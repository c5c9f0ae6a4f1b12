-- Project?$search=alpha
SELECT CAST((SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e0."Version" || '"') AS "@odata.etag", e0."ProjectId" AS "ProjectId", e0."Name" AS "Name", e0."Description" AS "Description", e0."StartDateTime" AS "StartDateTime", e0."EndDateTime" AS "EndDateTime", e0."IsArchived" AS "IsArchived", e0."CreatedDateTime" AS "CreatedDateTime", e0."ModifiedDateTime" AS "ModifiedDateTime") x) AS text) AS "j", CAST(e0."__o0" AS text) AS "k0", CAST(e0."Version" AS text) AS "etag"
 FROM (SELECT e0.*, e0."ProjectId" AS "__o0"
 FROM "project" "e0"
 WHERE (e0."Name" ILIKE CAST($1 AS text)
 OR e0."Description" ILIKE CAST($1 AS text))
 ORDER BY e0."ProjectId" ASC
 LIMIT $2) "e0"
 ORDER BY e0."__o0" ASC NULLS FIRST
-- parameters: ["%alpha%",101]
