import { Module } from '@nestjs/common';
import { TemplateOperations } from './template.operations';

@Module({ providers: [TemplateOperations] })
export class TaskItemTemplateModule {}
