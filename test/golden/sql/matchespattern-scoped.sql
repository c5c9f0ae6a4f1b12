-- Task?$filter=matchesPattern(Name,DescriptionHTML)  (scoped)
SELECT CAST((SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e0."Version" || '"') AS "@odata.etag", e0."TaskItemId" AS "TaskItemId", e0."Name" AS "Name", e0."TaskItemStatusId" AS "TaskItemStatusId", e0."ContactId" AS "ContactId", e0."ProjectId" AS "ProjectId", e0."PlanningId" AS "PlanningId", e0."GroupId" AS "GroupId", e0."StartDateTime" AS "StartDateTime", e0."EndDateTime" AS "EndDateTime", e0."IsDone" AS "IsDone", e0."DoneDate" AS "DoneDate", e0."WorkAmount" AS "WorkAmount", e0."CustomColor" AS "CustomColor", e0."CardPositionNumber" AS "CardPositionNumber", e0."DescriptionHTML" AS "DescriptionHTML", e0."IsBillable" AS "IsBillable", e0."Recurrence" AS "Recurrence", e0."AssignedByContactId" AS "AssignedByContactId", e0."CreatedByContactId" AS "CreatedByContactId", e0."ContactDisplayName" AS "ContactDisplayName", e0."ContactImageId" AS "ContactImageId", e0."RiskId" AS "RiskId", e0."RiskName" AS "RiskName", e0."ChecklistItemsCount" AS "ChecklistItemsCount", e0."CheckListItemsDoneCount" AS "CheckListItemsDoneCount", e0."CheckListItemsOpenCount" AS "CheckListItemsOpenCount", e0."ContributorsCount" AS "ContributorsCount", e0."ContributorsWorkAmount" AS "ContributorsWorkAmount", e0."WorkAmountOwner" AS "WorkAmountOwner", e0."ReminderDateTime" AS "ReminderDateTime", e0."ReminderSentDateTime" AS "ReminderSentDateTime", e0."Tags" AS "Tags", e0."ModifiedByContactId" AS "ModifiedByContactId", e0."CreatedDateTime" AS "CreatedDateTime", e0."ModifiedDateTime" AS "ModifiedDateTime") x) AS text) AS "j", CAST(e0."__o0" AS text) AS "k0", CAST(e0."Version" AS text) AS "etag"
 FROM (SELECT e0.*, e0."TaskItemId" AS "__o0"
 FROM "task" "e0"
 WHERE (e0."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($1 AS uuid))
 OR (e0."ProjectId" IS NULL
 AND (e0."CreatedByContactId" = CAST($2 AS uuid)
 OR e0."ContactId" = CAST($2 AS uuid))))
 AND (CASE WHEN (e0."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($3 AS uuid))
 OR (e0."ProjectId" IS NULL
 AND (e0."CreatedByContactId" = CAST($4 AS uuid)
 OR e0."ContactId" = CAST($4 AS uuid)))) THEN (e0."Name" ~ e0."DescriptionHTML") ELSE FALSE END)
 ORDER BY e0."TaskItemId" ASC
 LIMIT $5) "e0"
 ORDER BY e0."__o0" ASC NULLS FIRST
-- parameters: ["00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1",101]
