-- Task?$apply=filter(WorkAmount gt 1)/groupby((Project/Name),aggregate(WorkAmount with sum as Total,WorkAmount with average as Avg))&$filter=Total gt 2&$orderby=Project/Name&$top=2  (scoped)  [apply]
SELECT CAST(json_build_array(g1."Project/Name", g1."Total", g1."Avg") AS text) AS "j"
 FROM (SELECT (SELECT a1."Name"
 FROM "project" a1
 WHERE a1."ProjectId" = e0."ProjectId"
 AND a1."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($1 AS uuid))) AS "Project/Name", sum(e0."WorkAmount") AS "Total", avg(e0."WorkAmount") AS "Avg"
 FROM "task" e0
 WHERE (e0."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($2 AS uuid))
 OR (e0."ProjectId" IS NULL
 AND (e0."CreatedByContactId" = CAST($3 AS uuid)
 OR e0."ContactId" = CAST($3 AS uuid))))
 AND (e0."WorkAmount" > CAST($4 AS double precision))
 GROUP BY 1) g1
 WHERE (g1."Total" > CAST($5 AS double precision))
 ORDER BY g1."Project/Name" ASC NULLS FIRST, g1."Project/Name" ASC NULLS FIRST, g1."Total" ASC NULLS FIRST, g1."Avg" ASC NULLS FIRST
 LIMIT $6 OFFSET $7
-- parameters: ["00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1",1,2,3,0]
