import { ODataClient } from './odata-client';
import { Factories } from './factories';

export interface PopulatedProject {
  projectId: string;
  statusIds: string[];
  taskIds: string[];
  documentIds: string[];
}

/**
 * A project as a team leaves it after a few weeks: several columns (WIP limits) with cards in
 * each, notes with notifications, checklists, contributors, followers, documents, relations (to
 * its own tasks and to `other`'s), time entries, a running stopwatch, reminders, custom-field
 * values, calendar sync and a template saved from it. `other` gets a task that relates to this
 * project's task, project and document, so a delete must reach across projects for those.
 */
export async function populatedProject(
  client: ODataClient,
  other: { projectId: string },
): Promise<PopulatedProject> {
  const make = new Factories(client);
  const ok = async (p: Promise<{ status: number; text: string }>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`${r.status}: ${r.text}`);
    return r;
  };
  const contact = await make.contact();
  const follower = await make.contact();
  const project = await make.project({ Name: 'Populated' });
  const projectId: string = project.ProjectId;
  const statusIds: string[] = [];
  for (const [i, name] of ['To do', 'Doing', 'Review', 'Done'].entries()) {
    statusIds.push(
      (await make.status(projectId, { Name: name, OrdinalPosition: i, WipLimit: 5 })).TaskItemStatusId,
    );
  }
  const planning = await make.create('Planning', { ProjectId: projectId, DisplayName: 'Sprint 1' });
  const risk = await make.create('Risk', { ProjectId: projectId, Name: 'High' });
  const fieldName = `pf_dt0_${projectId.slice(0, 8)}_Budget`;
  await make.create('ProjectDefinedField', { ProjectId: projectId, FieldName: fieldName, Type: 'Number' });
  const documentIds: string[] = [];
  for (const name of ['spec.pdf', 'plan.xlsx']) {
    documentIds.push((await make.create('Document', { ProjectId: projectId, FileName: name })).DocumentId);
  }

  const taskIds: string[] = [];
  for (const statusId of statusIds) {
    for (let i = 0; i < 3; i++) {
      const t = await make.task({
        ProjectId: projectId,
        Name: `Card ${taskIds.length}`,
        DescriptionHTML: '<p>secret plans</p>',
        ContactId: contact.ContactId,
        PlanningId: planning.PlanningId,
        RiskId: risk.RiskId,
        ReminderDateTime: '2099-01-01T09:00:00Z',
        Tags: ['alpha'],
      });
      await ok(client.post(`Task(${t.TaskItemId})/MoveTaskItem`, { taskItemStatusId: statusId }));
      taskIds.push(t.TaskItemId);
    }
  }
  const [first, second] = taskIds;
  // Deliveries are queued for the webhooks that exist when a notification is written.
  await ok(
    client.post('Webhook', {
      ContactId: follower.ContactId,
      Url: 'http://127.0.0.1:9/in',
      Secret: 'hmac-key',
    }),
  );
  for (const id of taskIds.slice(0, 4)) {
    await ok(
      client.post(`Task(${id})/AddNote`, {
        htmlText: '<b>note</b>',
        notificationContactIds: [contact.ContactId],
      }),
    );
    await ok(
      client.post('ChecklistItem', { TaskItemId: id, Name: 'step', IsDone: false, OrdinalPosition: 1 }),
    );
    await ok(
      client.post(`Task(${id})/AddContributor`, {
        contactId: contact.ContactId,
        workAmount: 2,
        isDone: false,
      }),
    );
    await ok(
      client.post(`Task(${id})/AddNotificationFollowers`, { contactIds: [follower.ContactId], projectId }),
    );
    await ok(client.post(`Task(${id})/AddDocumentToTaskItem`, { documentIds }));
    await ok(client.post(`Task(${id})/UpdateProjectDefinedField`, { fieldName, value: '42' }));
  }
  await ok(client.post(`Task(${first})/AddRelation`, { itemId: second }));
  await ok(client.post(`Task(${first})/AddRelation`, { itemId: documentIds[0] }));
  await ok(client.post(`Task(${first})/EnableCalendarSync`, {}));
  // A finished stopwatch (a time entry) and a running one.
  await ok(client.post(`Task(${first})/StartStopwatch`, {}));
  await ok(client.post(`Task(${first})/StopStopwatch`, {}));
  await ok(client.post(`Task(${second})/StartStopwatch`, {}));
  // A change that notifies the followers (queues webhook deliveries).
  await ok(client.patch(`Task(${first})`, { Name: 'Card 0, renamed' }));
  await ok(
    client.post('TaskItemTemplate/SaveTemplateForProject', { ProjectId: projectId, Name: 'From populated' }),
  );

  const outsider = await make.task({ ProjectId: other.projectId, Name: 'Elsewhere' });
  for (const itemId of [first, projectId, documentIds[0]]) {
    await ok(client.post(`Task(${outsider.TaskItemId})/AddRelation`, { itemId }));
  }
  return { projectId, statusIds, taskIds, documentIds };
}
