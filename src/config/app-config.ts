import { z } from 'zod';

/**
 * The service's one configuration, read from the environment and validated once at start.
 * Nothing else reads process.env. Every option, its variable and default is listed in the
 * README's Configuration section.
 */
const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'yes'].includes(v));
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number('must be a whole number')
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const schema = z
  .object({
    PORT: int(0, 65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_READ_URLS: z
      .string()
      .refine(
        (v) =>
          v.split(',').every((u) => /^postgres(ql)?:\/\/[^\s]+$/.test(u.trim()) && URL.canParse(u.trim())),
        'must be a comma-separated list of postgres:// URLs',
      )
      .optional(),
    DATABASE_LISTEN_URL: z
      .string()
      .refine(
        (v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v),
        'must be a postgres:// or postgresql:// URL',
      )
      .optional(),
    DB_REPLICA_MAX_LAG_MS: int(0).default(5_000),
    DB_REPLICA_CHECK_MS: int(50).default(1_000),
    DB_PREPARED_STATEMENTS: bool.default(true),
    DB_SCHEMA_CHECK_MS: int(50).default(5_000),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    METRICS_ALLOW: z.string().default('127.0.0.1,::1'),
    SHUTDOWN_TIMEOUT_MS: int(0).default(10_000),
    TRUST_PROXY: bool.default(false),
    LIVE_WORKERS: bool.default(true),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    API_KEY_IN_QUERY: bool.default(false),
    PUBLIC_METADATA: bool.default(false),
    RATE_LIMIT_PER_MINUTE: int(0).default(6000),
    CORS_ORIGINS: z.string().optional(),
    EVENTS_HEARTBEAT_MS: int(100).default(15_000),
    EVENTS_RETENTION_MINUTES: int(1).default(15),
    DELTA_RETENTION_MINUTES: int(1).default(7 * 24 * 60),
    REMINDER_POLL_MS: int(50).default(5_000),
    WEBHOOK_POLL_MS: int(50).default(1_000),
    WEBHOOK_RETRY_BASE_MS: int(10).default(10_000),
    WEBHOOK_TIMEOUT_MS: int(100).default(10_000),
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    DATABASE_URL: z
      .string()
      .refine(
        (v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v),
        'must be a postgres:// or postgresql:// URL',
      )
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
    ODATA_MAX_URL_LENGTH: int(256).default(8192),
    ODATA_MAX_OPTION_LENGTH: int(64).default(8192),
    ODATA_MAX_NESTING: int(1, 1000).default(32),
    ODATA_MAX_JSON_DEPTH: int(2, 10_000).default(64),
    HTML_MAX_LENGTH: int(1024).default(100_000),
    HTML_MAX_DEPTH: int(1, 1000).default(100),
    ODATA_STREAM_DEADLINE_MS: int(100).default(60_000),
    ODATA_PLAN_CACHE_SIZE: int(1).default(1000),
    ODATA_FEED_READ_AHEAD: bool.default(false),
    STATEMENT_TIMEOUT_MS: int(0).default(30_000),
    DB_POOL_SIZE: int(1, 1000).default(10),
    DB_POOL_WAIT_MS: int(1).default(5_000),
    DB_QUEUE_LENGTH: int(0).default(100),
    DB_POOL_LONG_SHARE: z.coerce
      .number('must be a number')
      .gt(0, 'must be more than 0')
      .max(1, 'must be at most 1')
      .default(0.3),
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
  /** How long a request waits for a free database connection before answering 503. */
  dbPoolWaitMs: number;
  /** Requests that may wait for a connection, per admission lane (short, long); more answer 503 at once. */
  dbQueueLength: number;
  /** The share of the pool that long work ($batch, large pages) may hold at once. */
  dbPoolLongShare: number;
  bodyLimitBytes: number;
  /** Replicas for reads outside transactions; writes and transactional reads use DATABASE_URL. */
  databaseReadUrls: string[];
  /** A replica further behind the primary than this leaves the read rotation until it catches up. */
  dbReplicaMaxLagMs: number;
  /** How often each replica's state and lag are checked. */
  dbReplicaCheckMs: number;
  /** Direct (not pooled) connection for LISTEN; DATABASE_URL when absent. */
  databaseListenUrl?: string;
  /** Named prepared statements (off behind a pooler that cannot keep them). */
  dbPreparedStatements: boolean;
  /** How often a running instance checks that the database's migrations are still its own. */
  dbSchemaCheckMs: number;
  metrics: { token?: string; allow: string[] };
  /** How long a SIGTERM waits for running requests before the process exits. */
  shutdownTimeoutMs: number;
  /** Take the client's address, host and protocol from X-Forwarded-* (only behind a proxy you run). */
  trustProxy: boolean;
  auth: {
    /** A token that is always a valid administrator token (automation, tests). */
    adminToken?: string;
    /** Accept ?api_key=<token> (Power BI's Web API key mode); never logged. */
    apiKeyInQuery: boolean;
    /** The service document and $metadata without a token. */
    publicMetadata: boolean;
    /** Requests per token (or address) per minute across all instances; 0: no limit. */
    rateLimitPerMinute: number;
    /** Origins allowed by CORS (comma-separated, or *); none by default. */
    corsOrigins: string[];
  };
  live: {
    /** Run the reminder scheduler and webhook dispatcher in this instance. */
    workers: boolean;
    heartbeatMs: number;
    retentionMinutes: number;
    /** How long delta links stay usable (the change log keeps at least this much); older: 410. */
    deltaRetentionMinutes: number;
    reminderPollMs: number;
    webhookPollMs: number;
    webhookRetryBaseMs: number;
    webhookTimeoutMs: number;
    /** Allow webhooks to private and loopback addresses (off: server-side request forgery guard). */
    webhookAllowPrivate: boolean;
  };
  /** HTML converted to text (AddNote, the calendar feed): the work is bounded by these. */
  html: {
    /** Characters of HTML accepted by AddNote; longer stored HTML is cut before conversion. */
    maxLength: number;
    /** Elements nested in that HTML; deeper is refused by AddNote, stripped to plain text elsewhere. */
    maxDepth: number;
  };
  odata: {
    maxPageSize: number;
    maxTop: number;
    maxExpandDepth: number;
    maxFilterNodes: number;
    maxInList: number;
    maxBatchRequests: number;
    /** Path and query string of a request (or a $batch part), in characters as sent (414 above). */
    maxUrlLength: number;
    /** One query option's value, or one key or parameter list in the path, decoded (414 above). */
    maxOptionLength: number;
    /** Parentheses nested in one query option or path segment, counted before parsing (400 above). */
    maxNesting: number;
    /** Arrays and objects nested in a JSON body, counted before parsing (400 above). */
    maxJsonDepth: number;
    /** A streamed page not taken by the client within this time loses its database cursor. */
    streamDeadlineMs: number;
    /** Compiled query plans kept, by query shape (least recently used leave first). */
    planCacheSize: number;
    /** Reads as named prepared statements; false for PgBouncer in transaction mode before 1.21. */
    preparedStatements: boolean;
    /** A feed's next page read while the current one is sent (http/page-prefetch.ts). */
    feedReadAhead: boolean;
  };
}

export class ConfigError extends Error {}

/** Variables this service reads; others in the environment are ignored, except look-alikes. */
const KNOWN = Object.keys(schema.shape);
/** A variable with one of these prefixes that is not an option is a typo worth stopping for. */
const OWN_PREFIXES =
  /^(ODATA|DB|METRICS|DATABASE|WEBHOOK|EVENTS|REMINDER|RATE_LIMIT|CORS|API_KEY|ADMIN|HTML)_/;

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const relevant = Object.fromEntries(
    KNOWN.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]),
  );
  const unknown = Object.keys(env).filter((k) => OWN_PREFIXES.test(k) && !KNOWN.includes(k));
  if (unknown.length)
    throw new ConfigError(
      `Invalid configuration:\n${unknown.map((k) => `  ${k}: unknown option`).join('\n')}`,
    );
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
    dbPoolWaitMs: c.DB_POOL_WAIT_MS,
    dbQueueLength: c.DB_QUEUE_LENGTH,
    dbPoolLongShare: c.DB_POOL_LONG_SHARE,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    databaseReadUrls: c.DATABASE_READ_URLS ? c.DATABASE_READ_URLS.split(',').map((u) => u.trim()) : [],
    dbReplicaMaxLagMs: c.DB_REPLICA_MAX_LAG_MS,
    dbReplicaCheckMs: c.DB_REPLICA_CHECK_MS,
    databaseListenUrl: c.DATABASE_LISTEN_URL,
    dbPreparedStatements: c.DB_PREPARED_STATEMENTS,
    dbSchemaCheckMs: c.DB_SCHEMA_CHECK_MS,
    metrics: {
      token: c.METRICS_TOKEN,
      allow: c.METRICS_ALLOW.split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    },
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    trustProxy: c.TRUST_PROXY,
    auth: {
      adminToken: c.ADMIN_TOKEN,
      apiKeyInQuery: c.API_KEY_IN_QUERY,
      publicMetadata: c.PUBLIC_METADATA,
      rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
      corsOrigins: c.CORS_ORIGINS
        ? c.CORS_ORIGINS.split(',')
            .map((o) => o.trim())
            .filter(Boolean)
        : [],
    },
    live: {
      workers: c.LIVE_WORKERS,
      heartbeatMs: c.EVENTS_HEARTBEAT_MS,
      retentionMinutes: c.EVENTS_RETENTION_MINUTES,
      deltaRetentionMinutes: c.DELTA_RETENTION_MINUTES,
      reminderPollMs: c.REMINDER_POLL_MS,
      webhookPollMs: c.WEBHOOK_POLL_MS,
      webhookRetryBaseMs: c.WEBHOOK_RETRY_BASE_MS,
      webhookTimeoutMs: c.WEBHOOK_TIMEOUT_MS,
      webhookAllowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
    },
    html: { maxLength: c.HTML_MAX_LENGTH, maxDepth: c.HTML_MAX_DEPTH },
    odata: {
      maxPageSize: c.ODATA_MAX_PAGE_SIZE,
      maxTop: c.ODATA_MAX_TOP,
      maxExpandDepth: c.ODATA_MAX_EXPAND_DEPTH,
      maxFilterNodes: c.ODATA_MAX_FILTER_NODES,
      maxInList: c.ODATA_MAX_IN_LIST,
      maxBatchRequests: c.ODATA_MAX_BATCH_REQUESTS,
      maxUrlLength: c.ODATA_MAX_URL_LENGTH,
      maxOptionLength: c.ODATA_MAX_OPTION_LENGTH,
      maxNesting: c.ODATA_MAX_NESTING,
      maxJsonDepth: c.ODATA_MAX_JSON_DEPTH,
      streamDeadlineMs: c.ODATA_STREAM_DEADLINE_MS,
      planCacheSize: c.ODATA_PLAN_CACHE_SIZE,
      preparedStatements: c.DB_PREPARED_STATEMENTS,
      feedReadAhead: c.ODATA_FEED_READ_AHEAD,
    },
  };
}
