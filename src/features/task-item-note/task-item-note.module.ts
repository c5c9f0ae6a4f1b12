import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NoteOperations } from './note.operations';
import { TaskItemNote } from './task-item-note.entity';

@Module({
  imports: [TypeOrmModule.forFeature([TaskItemNote])],
  providers: [NoteOperations],
  exports: [TypeOrmModule],
})
export class TaskItemNoteModule {}
