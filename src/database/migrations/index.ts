import { InitialSchema1763850000000 } from './1763850000000-initial-schema';
import { FullTextSearch1763850000001 } from './1763850000001-full-text-search';

// Migrations in the order they run; imported (not globbed) so they work from ts and from dist.
export const MIGRATIONS: Function[] = [InitialSchema1763850000000, FullTextSearch1763850000001];
