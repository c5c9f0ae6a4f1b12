import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomFieldCatalog } from './custom-field-catalog';
import { DynamicTaskItem } from './dynamic-task-item.entity';

@Module({
  imports: [TypeOrmModule.forFeature([DynamicTaskItem])],
  providers: [CustomFieldCatalog],
  exports: [TypeOrmModule],
})
export class DynamicTaskItemModule {}
