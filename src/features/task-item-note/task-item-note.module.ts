import { Module } from '@nestjs/common';
import { NoteOperations } from './note.operations';

@Module({ providers: [NoteOperations] })
export class TaskItemNoteModule {}
