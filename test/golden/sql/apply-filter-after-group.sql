-- Task?$apply=groupby((IsDone),aggregate(CustomColor with max as M))/filter(not (M gt 3))&$count=true  [apply]
SELECT CAST(json_build_array(g1."IsDone", g1."M") AS text) AS "j", (SELECT count(*) AS "count"
 FROM (SELECT e0."IsDone" AS "IsDone", max(e0."CustomColor") AS "M"
 FROM "task" e0
 GROUP BY 1) g1
 WHERE (NOT COALESCE((g1."M" > CAST($1 AS integer)), FALSE))) AS "count"
 FROM (SELECT e0."IsDone" AS "IsDone", max(e0."CustomColor") AS "M"
 FROM "task" e0
 GROUP BY 1) g1
 WHERE (NOT COALESCE((g1."M" > CAST($1 AS integer)), FALSE))
 ORDER BY g1."IsDone" ASC NULLS FIRST, g1."M" ASC NULLS FIRST
 LIMIT $2 OFFSET $3
-- parameters: [3,101,0]
