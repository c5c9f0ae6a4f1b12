import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskItemTemplate } from './task-item-template.entity';
import { TemplateOperations } from './template.operations';

@Module({
  imports: [TypeOrmModule.forFeature([TaskItemTemplate])],
  providers: [TemplateOperations],
  exports: [TypeOrmModule],
})
export class TaskItemTemplateModule {}
