import { escapeHtml } from './html';
import { ODataHttp, quote } from './odata-http';
import type {
  BoardFilter,
  Card,
  ChecklistItem,
  Column,
  Contact,
  Contributor,
  MoveResult,
  Note,
  Project,
  Stopwatch,
  TaskDetails,
} from './types';

export interface BoardLinks {
  tasks: string;
  columns: string;
}

interface DeltaPage {
  value: Array<{ '@removed'?: unknown; '@id'?: string; TaskItemId?: string; TaskItemStatusId?: string }>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const CARD_FIELDS =
  'TaskItemId,Name,TaskItemStatusId,CardPositionNumber,ContactId,ContactDisplayName,EndDateTime,IsDone,ChecklistItemsCount,CheckListItemsDoneCount,Tags';

/** The board's calls, each one standard OData request; filtering and sorting happen in the service. */
export class BoardApi {
  constructor(readonly http: ODataHttp) {}

  projects(): Promise<Project[]> {
    return this.http.all<Project>('Project?$select=ProjectId,Name&$orderby=Name');
  }

  contacts(): Promise<Contact[]> {
    return this.http.all<Contact>('Contact?$select=ContactId,DisplayName&$orderby=DisplayName');
  }

  columns(projectId: string): Promise<Column[]> {
    return this.http.all<Column>(
      `TaskStatus?$filter=ProjectId eq ${projectId}&$orderby=OrdinalPosition,TaskItemStatusId`,
    );
  }

  /** The project's cards that pass the filter, in column order. */
  cards(projectId: string, filter: BoardFilter, onlyIds?: string[]): Promise<Card[]> {
    const clauses = [`ProjectId eq ${projectId}`, ...filterClauses(filter)];
    if (onlyIds) clauses.push(`TaskItemId in (${onlyIds.join(',')})`);
    const search = filter.text?.trim()
      ? `&$search=${encodeURIComponent(searchTerm(filter.text.trim()))}`
      : '';
    return this.http.all<Card>(
      `Task?$select=${CARD_FIELDS}&$filter=${encodeURIComponent(clauses.join(' and '))}${search}&$orderby=TaskItemStatusId,CardPositionNumber,TaskItemId`,
    );
  }

  /**
   * Delta links over the project's cards and columns (keys only): after a lost change stream the
   * board asks them what changed instead of reloading. Read before the board's own reads, so
   * nothing changed in between is missed (it may be seen twice).
   */
  async trackBoard(projectId: string): Promise<BoardLinks> {
    const [tasks, columns] = await Promise.all([
      this.http.track(`Task?$filter=ProjectId eq ${projectId}&$select=TaskItemId`),
      this.http.track(`TaskStatus?$filter=ProjectId eq ${projectId}&$select=TaskItemStatusId`),
    ]);
    return { tasks: tasks.deltaLink, columns: columns.deltaLink };
  }

  /** The keys of what changed (added, changed or removed) since a delta link, and the next link. */
  async changesSince(deltaLink: string): Promise<{ keys: string[]; deltaLink: string }> {
    const keys: string[] = [];
    let next: string | undefined = deltaLink;
    let link = deltaLink;
    while (next) {
      const page: DeltaPage = await this.http.send<DeltaPage>(next);
      for (const e of page.value) {
        const key = e['@removed']
          ? /\(([^)]+)\)$/.exec(e['@id'] ?? '')?.[1]
          : (e.TaskItemId ?? e.TaskItemStatusId);
        if (key) keys.push(key);
      }
      next = page['@odata.nextLink'];
      link = page['@odata.deltaLink'] ?? link;
    }
    return { keys, deltaLink: link };
  }

  /** Cards per column, whatever the filter (work-in-progress limits count every card). */
  async cardCounts(projectId: string): Promise<Record<string, number>> {
    const reply = await this.http.send<{ value: Array<{ TaskItemStatusId: string | null; Cards: number }> }>(
      `Task?$apply=${encodeURIComponent(`filter(ProjectId eq ${projectId})/groupby((TaskItemStatusId),aggregate($count as Cards))`)}`,
    );
    return Object.fromEntries(
      reply.value.filter((r) => r.TaskItemStatusId).map((r) => [r.TaskItemStatusId!, Number(r.Cards)]),
    );
  }

  task(id: string): Promise<TaskDetails> {
    return this.http.send<TaskDetails>(`Task(${id})?$select=${CARD_FIELDS},DescriptionHTML,ProjectId`);
  }

  moveCard(taskId: string, statusId: string, afterTaskId: string | null): Promise<MoveResult> {
    return this.http.send<MoveResult>(`Task(${taskId})/MoveTaskItem`, {
      method: 'POST',
      body: { taskItemStatusId: statusId, afterTaskItemId: afterTaskId },
    });
  }

  /** A new card at the end of its column: created and placed in one atomic $batch. */
  async createCard(
    projectId: string,
    statusId: string,
    name: string,
    afterTaskId: string | null,
  ): Promise<string> {
    const responses = await this.http.atomic([
      {
        id: 'new',
        method: 'POST',
        url: 'Task',
        body: { Name: name, ProjectId: projectId, TaskItemStatusId: statusId },
      },
      {
        id: 'place',
        method: 'POST',
        url: '$new/MoveTaskItem',
        body: { taskItemStatusId: statusId, afterTaskItemId: afterTaskId },
      },
    ]);
    return (responses[0].body as { TaskItemId: string }).TaskItemId;
  }

  updateTask(id: string, etag: string | undefined, changes: Partial<TaskDetails>): Promise<TaskDetails> {
    return this.http.send<TaskDetails>(`Task(${id})`, {
      method: 'PATCH',
      etag,
      body: changes,
      headers: { Prefer: 'return=representation' },
    });
  }

  addColumn(projectId: string, name: string, ordinalPosition: number): Promise<Column> {
    return this.http.send<Column>('TaskStatus', {
      method: 'POST',
      body: { ProjectId: projectId, Name: name, OrdinalPosition: ordinalPosition },
    });
  }

  updateColumn(column: Column, changes: Partial<Column>): Promise<Column> {
    return this.http.send<Column>(`TaskStatus(${column.TaskItemStatusId})`, {
      method: 'PATCH',
      etag: column['@odata.etag'],
      body: changes,
      headers: { Prefer: 'return=representation' },
    });
  }

  /** Two columns trade places in one transaction. */
  async swapColumns(a: Column, b: Column): Promise<void> {
    await this.http.atomic([
      {
        id: 'a',
        method: 'PATCH',
        url: `TaskStatus(${a.TaskItemStatusId})`,
        etag: a['@odata.etag'],
        body: { OrdinalPosition: b.OrdinalPosition },
      },
      {
        id: 'b',
        method: 'PATCH',
        url: `TaskStatus(${b.TaskItemStatusId})`,
        etag: b['@odata.etag'],
        body: { OrdinalPosition: a.OrdinalPosition },
      },
    ]);
  }

  /** The project and everything in it (the service needs the project's Admin role). */
  deleteProject(projectId: string): Promise<void> {
    return this.http.send(`Project(${projectId})`, { method: 'DELETE' });
  }

  deleteColumn(column: Column): Promise<void> {
    return this.http.send(`TaskStatus(${column.TaskItemStatusId})`, {
      method: 'DELETE',
      etag: column['@odata.etag'],
    });
  }

  notes(taskId: string): Promise<Note[]> {
    return this.http.all<Note>(
      `Task(${taskId})/Notes?$select=TaskItemNoteId,Note,CreateDateTime&$orderby=CreateDateTime desc`,
    );
  }

  addNote(taskId: string, text: string): Promise<Note> {
    return this.http.send<Note>(`Task(${taskId})/AddNote`, {
      method: 'POST',
      body: { htmlText: `<p>${escapeHtml(text)}</p>`, notificationContactIds: [] },
    });
  }

  checklist(taskId: string): Promise<ChecklistItem[]> {
    return this.http.all<ChecklistItem>(
      `Task(${taskId})/ChecklistItems?$orderby=OrdinalPosition,ChecklistItemId`,
    );
  }

  addChecklistItem(taskId: string, name: string, ordinalPosition: number): Promise<ChecklistItem> {
    return this.http.send<ChecklistItem>('ChecklistItem', {
      method: 'POST',
      body: { TaskItemId: taskId, Name: name, OrdinalPosition: ordinalPosition },
    });
  }

  setChecklistItemDone(item: ChecklistItem, isDone: boolean): Promise<ChecklistItem> {
    return this.http.send<ChecklistItem>(`ChecklistItem(${item.ChecklistItemId})`, {
      method: 'PATCH',
      etag: item['@odata.etag'],
      body: { IsDone: isDone },
      headers: { Prefer: 'return=representation' },
    });
  }

  async contributors(taskId: string): Promise<Contributor[]> {
    return (await this.http.send<{ value: Contributor[] }>(`Task(${taskId})/GetContributors()`)).value;
  }

  addContributor(taskId: string, contactId: string, workAmount: number): Promise<Contributor> {
    return this.http.send<Contributor>(`Task(${taskId})/AddContributor`, {
      method: 'POST',
      body: { contactId, workAmount, isDone: false },
    });
  }

  removeContributor(taskId: string, id: string): Promise<void> {
    return this.http.send(`Task(${taskId})/RemoveContributor`, { method: 'POST', body: { id } });
  }

  stopwatch(taskId: string): Promise<Stopwatch> {
    return this.http.send<Stopwatch>(`Task(${taskId})/GetStopwatch()`);
  }

  stopwatchAction(
    taskId: string,
    action: 'StartStopwatch' | 'PauseStopwatch' | 'StopStopwatch',
  ): Promise<unknown> {
    return this.http.send(`Task(${taskId})/${action}`, { method: 'POST', body: {} });
  }
}

function filterClauses(filter: BoardFilter): string[] {
  const clauses: string[] = [];
  if (filter.assigneeId) clauses.push(`ContactId eq ${filter.assigneeId}`);
  if (filter.tag?.trim()) clauses.push(`Tags/any(t: t eq ${quote(filter.tag.trim())})`);
  if (filter.dueBy) clauses.push(`EndDateTime le ${filter.dueBy}T23:59:59Z`);
  return clauses;
}

/** Free text as one $search phrase, so punctuation in it is never read as syntax. */
function searchTerm(text: string): string {
  return `"${text.replace(/["\\]/g, ' ')}"`;
}
