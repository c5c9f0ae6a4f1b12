import { InitialSchema1763850000000 } from './1763850000000-initial-schema';
import { FullTextSearch1763850000001 } from './1763850000001-full-text-search';
import { LiveUpdates1763850000002 } from './1763850000002-live-updates';
import { Access1763850000003 } from './1763850000003-access';
import { DynamicTaskItemColumns1763850000004 } from './1763850000004-dynamic-task-item-columns';
import { TouchRowGeneratedColumns1763850000005 } from './1763850000005-touch-row-generated-columns';
import { CreatorReferences1763850000006 } from './1763850000006-creator-references';
import { ProjectDelete1763850000007 } from './1763850000007-project-delete';
import { Ownership1763850000008 } from './1763850000008-ownership';
import { TokenRevocation1763850000009 } from './1763850000009-token-revocation';
import { ODataTryCast1763850000011 } from './1763850000011-odata-try-cast';
import { ChangeTracking1763850000012 } from './1763850000012-change-tracking';
import { SetBasedChangeEvents1763850000013 } from './1763850000013-set-based-change-events';
import { ForeignKeyIndexes1763850000014 } from './1763850000014-foreign-key-indexes';

// Migrations in the order they run; imported (not globbed) so they work from ts and from dist.
export const MIGRATIONS: Function[] = [
  InitialSchema1763850000000,
  FullTextSearch1763850000001,
  LiveUpdates1763850000002,
  Access1763850000003,
  DynamicTaskItemColumns1763850000004,
  TouchRowGeneratedColumns1763850000005,
  CreatorReferences1763850000006,
  ProjectDelete1763850000007,
  Ownership1763850000008,
  TokenRevocation1763850000009,
  ODataTryCast1763850000011,
  ChangeTracking1763850000012,
  SetBasedChangeEvents1763850000013,
  ForeignKeyIndexes1763850000014,
];
