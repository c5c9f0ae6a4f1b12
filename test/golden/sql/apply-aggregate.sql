-- Task?$apply=aggregate(WorkAmount with min as Lo,ProjectId with countdistinct as P)  [apply]
SELECT CAST(json_build_array(g1."Lo", g1."P") AS text) AS "j"
 FROM (SELECT min(e0."WorkAmount") AS "Lo", count(DISTINCT e0."ProjectId") AS "P"
 FROM "task" e0) g1
 ORDER BY g1."Lo" ASC NULLS FIRST, g1."P" ASC NULLS FIRST
 LIMIT $1 OFFSET $2
-- parameters: [101,0]
