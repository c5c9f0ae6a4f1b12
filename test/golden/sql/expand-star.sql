-- TaskItemNote?$expand=*
SELECT CAST((SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e0."Version" || '"') AS "@odata.etag", e0."TaskItemNoteId" AS "TaskItemNoteId", e0."TaskItemId" AS "TaskItemId", e0."Note" AS "Note", e0."NoteHtml" AS "NoteHtml", e0."ShortDescription" AS "ShortDescription", e0."CreateDateTime" AS "CreateDateTime", e0."CreatedByContactId" AS "CreatedByContactId", e0."ModifiedByContactId" AS "ModifiedByContactId", e0."ModifiedDateTime" AS "ModifiedDateTime", (SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e1."Version" || '"') AS "@odata.etag", e1."TaskItemId" AS "TaskItemId", e1."Name" AS "Name", e1."TaskItemStatusId" AS "TaskItemStatusId", e1."ContactId" AS "ContactId", e1."ProjectId" AS "ProjectId", e1."PlanningId" AS "PlanningId", e1."GroupId" AS "GroupId", e1."StartDateTime" AS "StartDateTime", e1."EndDateTime" AS "EndDateTime", e1."IsDone" AS "IsDone", e1."DoneDate" AS "DoneDate", e1."WorkAmount" AS "WorkAmount", e1."CustomColor" AS "CustomColor", e1."CardPositionNumber" AS "CardPositionNumber", e1."DescriptionHTML" AS "DescriptionHTML", e1."IsBillable" AS "IsBillable", e1."Recurrence" AS "Recurrence", e1."AssignedByContactId" AS "AssignedByContactId", e1."CreatedByContactId" AS "CreatedByContactId", e1."ContactDisplayName" AS "ContactDisplayName", e1."ContactImageId" AS "ContactImageId", e1."RiskId" AS "RiskId", e1."RiskName" AS "RiskName", e1."ChecklistItemsCount" AS "ChecklistItemsCount", e1."CheckListItemsDoneCount" AS "CheckListItemsDoneCount", e1."CheckListItemsOpenCount" AS "CheckListItemsOpenCount", e1."ContributorsCount" AS "ContributorsCount", e1."ContributorsWorkAmount" AS "ContributorsWorkAmount", e1."WorkAmountOwner" AS "WorkAmountOwner", e1."ReminderDateTime" AS "ReminderDateTime", e1."ReminderSentDateTime" AS "ReminderSentDateTime", e1."Tags" AS "Tags", e1."ModifiedByContactId" AS "ModifiedByContactId", e1."CreatedDateTime" AS "CreatedDateTime", e1."ModifiedDateTime" AS "ModifiedDateTime"
 FROM "task" e1
 WHERE e1."TaskItemId" = e0."TaskItemId"
 LIMIT 1) x) AS "Task", (SELECT row_to_json(x)
 FROM (SELECT ('W/"' || e2."Version" || '"') AS "@odata.etag", e2."ContactId" AS "ContactId", e2."DisplayName" AS "DisplayName", e2."Email" AS "Email", e2."ImageId" AS "ImageId", e2."IsAdmin" AS "IsAdmin", e2."CreatedDateTime" AS "CreatedDateTime", e2."ModifiedDateTime" AS "ModifiedDateTime"
 FROM "contact" e2
 WHERE e2."ContactId" = e0."CreatedByContactId"
 LIMIT 1) x) AS "CreatedByContact") x) AS text) AS "j", CAST(e0."__o0" AS text) AS "k0", CAST(e0."Version" AS text) AS "etag"
 FROM (SELECT e0.*, e0."TaskItemNoteId" AS "__o0"
 FROM "task_item_note" "e0"
 ORDER BY e0."TaskItemNoteId" ASC
 LIMIT $1) "e0"
 ORDER BY e0."__o0" ASC NULLS FIRST
-- parameters: [101]
