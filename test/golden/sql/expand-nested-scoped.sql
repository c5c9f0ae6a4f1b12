-- Task?$expand=Notes($expand=Task($select=Name)),Status  (scoped)
SELECT CAST((SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e0."Version" || '"') AS "@odata.etag", e0."TaskItemId" AS "TaskItemId", e0."Name" AS "Name", e0."TaskItemStatusId" AS "TaskItemStatusId", e0."ContactId" AS "ContactId", e0."ProjectId" AS "ProjectId", e0."PlanningId" AS "PlanningId", e0."GroupId" AS "GroupId", e0."StartDateTime" AS "StartDateTime", e0."EndDateTime" AS "EndDateTime", e0."IsDone" AS "IsDone", e0."DoneDate" AS "DoneDate", e0."WorkAmount" AS "WorkAmount", e0."CustomColor" AS "CustomColor", e0."CardPositionNumber" AS "CardPositionNumber", e0."DescriptionHTML" AS "DescriptionHTML", e0."IsBillable" AS "IsBillable", e0."Recurrence" AS "Recurrence", e0."AssignedByContactId" AS "AssignedByContactId", e0."CreatedByContactId" AS "CreatedByContactId", e0."ContactDisplayName" AS "ContactDisplayName", e0."ContactImageId" AS "ContactImageId", e0."RiskId" AS "RiskId", e0."RiskName" AS "RiskName", e0."ChecklistItemsCount" AS "ChecklistItemsCount", e0."CheckListItemsDoneCount" AS "CheckListItemsDoneCount", e0."CheckListItemsOpenCount" AS "CheckListItemsOpenCount", e0."ContributorsCount" AS "ContributorsCount", e0."ContributorsWorkAmount" AS "ContributorsWorkAmount", e0."WorkAmountOwner" AS "WorkAmountOwner", e0."ReminderDateTime" AS "ReminderDateTime", e0."ReminderSentDateTime" AS "ReminderSentDateTime", e0."Tags" AS "Tags", e0."ModifiedByContactId" AS "ModifiedByContactId", e0."CreatedDateTime" AS "CreatedDateTime", e0."ModifiedDateTime" AS "ModifiedDateTime", (SELECT COALESCE(json_agg(row_to_json(x)), '[]')
 FROM (SELECT ('W/"' || e1."Version" || '"') AS "@odata.etag", e1."TaskItemNoteId" AS "TaskItemNoteId", e1."TaskItemId" AS "TaskItemId", e1."Note" AS "Note", e1."NoteHtml" AS "NoteHtml", e1."ShortDescription" AS "ShortDescription", e1."CreateDateTime" AS "CreateDateTime", e1."CreatedByContactId" AS "CreatedByContactId", e1."ModifiedByContactId" AS "ModifiedByContactId", e1."ModifiedDateTime" AS "ModifiedDateTime", (SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e2."Version" || '"') AS "@odata.etag", e2."TaskItemId" AS "TaskItemId", e2."Name" AS "Name"
 FROM "task" e2
 WHERE e2."TaskItemId" = e1."TaskItemId"
 AND (e2."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($1 AS uuid))
 OR (e2."ProjectId" IS NULL
 AND (e2."CreatedByContactId" = CAST($2 AS uuid)
 OR e2."ContactId" = CAST($2 AS uuid))))
 LIMIT 1) x) AS "Task"
 FROM "task_item_note" e1
 WHERE e1."TaskItemId" = e0."TaskItemId"
 AND EXISTS (SELECT 1
 FROM task e1_t
 WHERE e1_t."TaskItemId" = e1."TaskItemId"
 AND (e1_t."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($3 AS uuid))
 OR (e1_t."ProjectId" IS NULL
 AND (e1_t."CreatedByContactId" = CAST($4 AS uuid)
 OR e1_t."ContactId" = CAST($4 AS uuid)))))
 ORDER BY e1."TaskItemNoteId") x) AS "Notes", (SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e3."Version" || '"') AS "@odata.etag", e3."TaskItemStatusId" AS "TaskItemStatusId", e3."Name" AS "Name", e3."ProjectId" AS "ProjectId", e3."OrdinalPosition" AS "OrdinalPosition", e3."Color" AS "Color", e3."WipLimit" AS "WipLimit", e3."IsWipLimitHard" AS "IsWipLimitHard", e3."CreatedDateTime" AS "CreatedDateTime", e3."ModifiedDateTime" AS "ModifiedDateTime"
 FROM "task_status" e3
 WHERE e3."TaskItemStatusId" = e0."TaskItemStatusId"
 AND e3."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($5 AS uuid))
 LIMIT 1) x) AS "Status") x) AS text) AS "j", CAST(e0."__o0" AS text) AS "k0", CAST(e0."Version" AS text) AS "etag"
 FROM (SELECT e0.*, e0."TaskItemId" AS "__o0"
 FROM "task" "e0"
 WHERE (e0."ProjectId" IN (SELECT pm."ProjectId"
 FROM project_member pm
 WHERE pm."ContactId" = CAST($6 AS uuid))
 OR (e0."ProjectId" IS NULL
 AND (e0."CreatedByContactId" = CAST($7 AS uuid)
 OR e0."ContactId" = CAST($7 AS uuid))))
 ORDER BY e0."TaskItemId" ASC
 LIMIT $8) "e0"
 ORDER BY e0."__o0" ASC NULLS FIRST
-- parameters: ["00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1","00000000-0000-4000-8000-0000000000c1",101]
