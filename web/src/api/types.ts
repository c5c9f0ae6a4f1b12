/** The shapes the board reads; names are the service's (see /odata/$metadata). */
export interface Project {
  ProjectId: string;
  Name: string;
}

export interface Column {
  TaskItemStatusId: string;
  ProjectId: string;
  Name: string;
  OrdinalPosition: number;
  WipLimit: number | null;
  IsWipLimitHard: boolean;
  '@odata.etag'?: string;
}

export interface Card {
  TaskItemId: string;
  Name: string | null;
  TaskItemStatusId: string | null;
  CardPositionNumber: number;
  ContactId: string | null;
  ContactDisplayName: string | null;
  EndDateTime: string | null;
  IsDone: boolean;
  ChecklistItemsCount: number;
  CheckListItemsDoneCount: number;
  Tags: string[];
  '@odata.etag'?: string;
}

export interface TaskDetails extends Card {
  DescriptionHTML: string | null;
  ProjectId: string | null;
}

export interface Contact {
  ContactId: string;
  DisplayName: string;
}

export interface Note {
  TaskItemNoteId: string;
  Note: string;
  CreateDateTime: string;
}

export interface ChecklistItem {
  ChecklistItemId: string;
  Name: string;
  IsDone: boolean;
  OrdinalPosition: number;
  '@odata.etag'?: string;
}

export interface Contributor {
  Id: string;
  ContactId: string;
  WorkAmount: number;
  IsDone: boolean;
}

export type StopwatchState = 'Stopped' | 'Running' | 'Paused';

export interface Stopwatch {
  State: StopwatchState;
  ElapsedSeconds: number;
}

export interface MoveResult {
  TaskItemId: string;
  TaskItemStatusId: string;
  CardPositionNumber: number;
  Positions: Array<{ TaskItemId: string; TaskItemStatusId: string; CardPositionNumber: number }>;
  WipLimitExceeded: boolean;
}

/** What the board's filter bar asks the service for. */
export interface BoardFilter {
  assigneeId?: string;
  tag?: string;
  /** Cards due on or before this day (yyyy-mm-dd). */
  dueBy?: string;
  text?: string;
}
