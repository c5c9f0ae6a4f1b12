-- Task?$apply=groupby((ProjectId,IsDone),aggregate($count as C))  [apply]
SELECT CAST(json_build_array(g1."ProjectId", g1."IsDone", g1."C") AS text) AS "j"
 FROM (SELECT e0."ProjectId" AS "ProjectId", e0."IsDone" AS "IsDone", count(*) AS "C"
 FROM "task" e0
 GROUP BY 1, 2) g1
 ORDER BY g1."ProjectId" ASC NULLS FIRST, g1."IsDone" ASC NULLS FIRST, g1."C" ASC NULLS FIRST
 LIMIT $1 OFFSET $2
-- parameters: [101,0]
