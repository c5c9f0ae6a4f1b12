import { z } from 'zod';

/**
 * The service's one configuration, read from the environment and validated once at start.
 * Nothing else reads process.env. Every option, its variable and default is listed in the
 * README's Configuration section.
 */
const bool = z.enum(['0', '1', 'true', 'false', 'yes', 'no']).transform((v) => ['1', 'true', 'yes'].includes(v));
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

const schema = z
  .object({
    PORT: int(0, 65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    SEED_DEMO: bool.optional(),
    MIGRATE_ON_START: bool.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    ODATA_MAX_PAGE_SIZE: int(1, 100_000).default(1000),
    ODATA_MAX_TOP: int(1).default(100_000),
    ODATA_MAX_EXPAND_DEPTH: int(1, 20).default(5),
    ODATA_MAX_FILTER_NODES: int(1).default(500),
    ODATA_MAX_IN_LIST: int(1).default(1000),
    ODATA_MAX_BATCH_REQUESTS: int(1).default(1000),
    STATEMENT_TIMEOUT_MS: int(0).default(30_000),
    DB_POOL_SIZE: int(1, 1000).default(10),
    BODY_LIMIT_BYTES: int(1024).default(10 * 1024 * 1024),
  })
  .strict();

export interface AppConfig {
  port: number;
  host: string;
  /** Absent: an embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  seedDemo: boolean;
  migrateOnStart: boolean;
  logLevel: string;
  statementTimeoutMs: number;
  dbPoolSize: number;
  bodyLimitBytes: number;
  odata: {
    maxPageSize: number;
    maxTop: number;
    maxExpandDepth: number;
    maxFilterNodes: number;
    maxInList: number;
    maxBatchRequests: number;
  };
}

export class ConfigError extends Error {}

/** Variables this service reads; others in the environment are ignored. */
const KNOWN = Object.keys(schema.shape);

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const relevant = Object.fromEntries(KNOWN.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'config'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const embedded = !c.DATABASE_URL;
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.DATA_DIR,
    seedDemo: c.SEED_DEMO ?? embedded,
    migrateOnStart: c.MIGRATE_ON_START ?? embedded,
    logLevel: c.LOG_LEVEL,
    statementTimeoutMs: c.STATEMENT_TIMEOUT_MS,
    dbPoolSize: c.DB_POOL_SIZE,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    odata: {
      maxPageSize: c.ODATA_MAX_PAGE_SIZE,
      maxTop: c.ODATA_MAX_TOP,
      maxExpandDepth: c.ODATA_MAX_EXPAND_DEPTH,
      maxFilterNodes: c.ODATA_MAX_FILTER_NODES,
      maxInList: c.ODATA_MAX_IN_LIST,
      maxBatchRequests: c.ODATA_MAX_BATCH_REQUESTS,
    },
  };
}
