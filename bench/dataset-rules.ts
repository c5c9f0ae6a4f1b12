/** The rules of docs/DATASET.md in TypeScript: to validate each returned row on its own. */
import { createHash } from 'node:crypto';

/** uuid(seed): md5 hex, version nibble 4, variant '89ab'[h17 mod 4]. */
export function uuid(seed: string): string {
  const h = createHash('md5').update(seed).digest('hex');
  const v = '89ab'[parseInt(h[16], 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const DAY = 86_400_000;
const E0 = Date.UTC(2025, 0, 1);
const NOTE0 = Date.UTC(2024, 11, 1);
export const isoSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
/** e(i) in ms. */
export const e = (i: number) => E0 + (i % 730) * DAY;

export const P7 = uuid('project-7');
export const P10 = uuid('project-10');
export const P999 = uuid('project-999');
export const T12345 = uuid('task-12345');

export type Row = Record<string, unknown>;

/** The 17 properties of task i. */
export function ruleTask(i: number): Row {
  const s = i % 3 === 0 ? 4 : i % 4;
  return {
    TaskItemId: uuid(`task-${i}`),
    Name: `Task ${i}`,
    TaskItemStatusId: uuid(`status-${i % 1000}-${s}`),
    ContactId: uuid(`contact-${i % 10000}`),
    ProjectId: uuid(`project-${i % 1000}`),
    GroupId: uuid(`group-${i % 100}`),
    StartDateTime: i % 11 === 0 ? null : isoSeconds(e(i) - (i % 7) * DAY),
    EndDateTime: isoSeconds(e(i)),
    IsDone: i % 3 === 0,
    DoneDate: i % 3 === 0 ? isoSeconds(e(i)) : null,
    WorkAmount: (i % 40) / 2,
    CustomColor: (i * 37) % 16777216,
    CardPositionNumber: i,
    DescriptionHTML: `<p>Description of <b>Task ${i}</b></p>`,
    IsBillable: i % 2 === 0,
    Recurrence: i % 4,
    CreatedByContactId: uuid(`contact-${(i * 7) % 10000}`),
  };
}

/** The notes of task i (none unless i % 10 = 0). */
export function ruleNotes(i: number): Row[] {
  if (i % 10 !== 0) return [];
  return [1, 2].map((k) => ({
    TaskItemNoteId: uuid(`note-${i}-${k}`),
    TaskItemId: uuid(`task-${i}`),
    Note: `Note ${k} for task ${i}`,
    NoteHtml: `<p>Note ${k} for task ${i}</p>`,
    ShortDescription: `Note ${k}`,
    CreateDateTime: isoSeconds(NOTE0 + (i % 730) * DAY + k * 3_600_000),
    CreatedByContactId: uuid(`contact-${(i + k) % 10000}`),
  }));
}

export const TASK_PROPERTIES = Object.keys(ruleTask(1));
export const NOTE_PROPERTIES = Object.keys(ruleNotes(10)[0]);

/** i of a data set row from its Name ('Task <i>'), or undefined for any other row. */
export function taskNumber(row: Row): number | undefined {
  const m = typeof row.Name === 'string' ? /^Task (\d+)$/.exec(row.Name) : null;
  return m ? Number(m[1]) : undefined;
}
