import { InitialSchema1763850000000 } from './1763850000000-initial-schema';

// Migrations in the order they run; imported (not globbed) so they work from ts and from dist.
export const MIGRATIONS: Function[] = [InitialSchema1763850000000];
