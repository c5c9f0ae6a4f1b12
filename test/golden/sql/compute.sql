-- Task?$compute=WorkAmount mul 2 as W2,W2 add 1 as W3&$filter=W3 gt 4&$orderby=W2&$select=Name,W2,W3
SELECT CAST((SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e0."Version" || '"') AS "@odata.etag", e0."TaskItemId" AS "TaskItemId", e0."Name" AS "Name", (e0."WorkAmount" * CAST($1 AS double precision)) AS "W2", ((e0."WorkAmount" * CAST($1 AS double precision)) + CAST($2 AS double precision)) AS "W3") x) AS text) AS "j", CAST(e0."__o0" AS text) AS "k0", CAST(e0."__o1" AS text) AS "k1", CAST(e0."Version" AS text) AS "etag"
 FROM (SELECT e0.*, (e0."WorkAmount" * CAST($1 AS double precision)) AS "__o0", e0."TaskItemId" AS "__o1"
 FROM "task" "e0"
 WHERE (((e0."WorkAmount" * CAST($1 AS double precision)) + CAST($2 AS double precision)) > CAST($3 AS double precision))
 ORDER BY (e0."WorkAmount" * CAST($1 AS double precision)) ASC NULLS FIRST, e0."TaskItemId" ASC
 LIMIT $4) "e0"
 ORDER BY e0."__o0" ASC NULLS FIRST, e0."__o1" ASC NULLS FIRST
-- parameters: [2,1,4,101]
