-- Task?$filter=not (CustomColor gt 5)  [count]
SELECT count(*) AS "count"
 FROM "task" "e0"
 WHERE (NOT COALESCE((e0."CustomColor" > CAST($1 AS integer)), FALSE))
-- parameters: [5]
