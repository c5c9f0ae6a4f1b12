import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Planning } from './planning.entity';
import { ProjectDefinedField } from './project-defined-field.entity';
import { Project } from './project.entity';
import { Risk } from './risk.entity';

/** Projects and what belongs to one: plannings, risks, custom field definitions. */
@Module({
  imports: [TypeOrmModule.forFeature([Project, Planning, Risk, ProjectDefinedField])],
  exports: [TypeOrmModule],
})
export class ProjectModule {}
