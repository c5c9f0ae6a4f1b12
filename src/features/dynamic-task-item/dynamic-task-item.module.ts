import { Module } from '@nestjs/common';
import { CustomFieldCatalog } from './custom-field-catalog';

@Module({ providers: [CustomFieldCatalog] })
export class DynamicTaskItemModule {}
