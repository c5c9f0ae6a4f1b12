import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskStatus } from './task-status.entity';

/** Kanban columns; served by the OData core from the entity (deleting one moves its cards: a trigger). */
@Module({ imports: [TypeOrmModule.forFeature([TaskStatus])], exports: [TypeOrmModule] })
export class TaskStatusModule {}
