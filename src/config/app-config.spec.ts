import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to an embedded database with demo data and migrations at start', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      dataDir: './.data',
      seedDemo: true,
      migrateOnStart: true,
    });
    expect(c.odata.maxPageSize).toBe(1000);
  });

  it('with DATABASE_URL: no demo data or migrations unless asked', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/tasks' });
    expect(c).toMatchObject({ seedDemo: false, migrateOnStart: false });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://db/tasks', SEED_DEMO: '1', MIGRATE_ON_START: 'true' }),
    ).toMatchObject({ seedDemo: true, migrateOnStart: true });
  });

  it('rejects bad values with messages naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: must be a whole number/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: must be at most 65535/);
    expect(() => loadConfig({ ODATA_MAX_PAGE_SIZE: '0' })).toThrow(/ODATA_MAX_PAGE_SIZE: must be at least 1/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
  });

  it('delta links last a week by default (the change log keeps at least that long)', () => {
    expect(loadConfig({}).live.deltaRetentionMinutes).toBe(7 * 24 * 60);
    expect(loadConfig({ DELTA_RETENTION_MINUTES: '60' }).live.deltaRetentionMinutes).toBe(60);
    expect(() => loadConfig({ DELTA_RETENTION_MINUTES: '0' })).toThrow(/DELTA_RETENTION_MINUTES/);
  });

  it('stops at an unknown option that looks like one of ours', () => {
    expect(() => loadConfig({ ODATA_MAX_PAGESIZE: '10' })).toThrow(/ODATA_MAX_PAGESIZE: unknown option/);
  });

  it('read replicas, metrics access and shutdown deadline', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://p/db',
      DATABASE_READ_URLS: 'postgres://r1/db, postgres://r2/db',
      METRICS_ALLOW: '10.0.0.1',
    });
    expect(c.databaseReadUrls).toEqual(['postgres://r1/db', 'postgres://r2/db']);
    expect(c.metrics).toEqual({ token: undefined, allow: ['10.0.0.1'] });
    expect(() => loadConfig({ DATABASE_READ_URLS: 'nope' })).toThrow(/DATABASE_READ_URLS/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('admission: queue length per lane and the long-work share of the pool', () => {
    expect(loadConfig({})).toMatchObject({
      dbPoolSize: 10,
      dbPoolWaitMs: 5000,
      dbQueueLength: 100,
      dbPoolLongShare: 0.3,
    });
    expect(loadConfig({ DB_QUEUE_LENGTH: '0', DB_POOL_LONG_SHARE: '0.5' })).toMatchObject({
      dbQueueLength: 0,
      dbPoolLongShare: 0.5,
    });
    expect(() => loadConfig({ DB_POOL_LONG_SHARE: '0' })).toThrow(/DB_POOL_LONG_SHARE: must be more than 0/);
    expect(() => loadConfig({ DB_POOL_LONG_SHARE: '1.5' })).toThrow(/DB_POOL_LONG_SHARE: must be at most 1/);
    expect(() => loadConfig({ DB_QUEUE_LENGTH: '-1' })).toThrow(/DB_QUEUE_LENGTH: must be at least 0/);
    expect(() => loadConfig({ DB_QUEUE_LEN: '10' })).toThrow(/DB_QUEUE_LEN: unknown option/);
  });

  it('limits on input: defaults, overrides, bad values', () => {
    const c = loadConfig({});
    expect(c.odata).toMatchObject({
      maxUrlLength: 8192,
      maxOptionLength: 8192,
      maxNesting: 32,
      maxJsonDepth: 64,
    });
    expect(c.html).toEqual({ maxLength: 100_000, maxDepth: 100 });
    const set = loadConfig({
      ODATA_MAX_URL_LENGTH: '4096',
      ODATA_MAX_NESTING: '10',
      HTML_MAX_LENGTH: '20000',
      HTML_MAX_DEPTH: '20',
    });
    expect(set.odata).toMatchObject({ maxUrlLength: 4096, maxNesting: 10 });
    expect(set.html).toEqual({ maxLength: 20_000, maxDepth: 20 });
    expect(() => loadConfig({ ODATA_MAX_NESTING: '0' })).toThrow(/ODATA_MAX_NESTING: must be at least 1/);
    expect(() => loadConfig({ ODATA_MAX_JSON_DEPTH: '1' })).toThrow(
      /ODATA_MAX_JSON_DEPTH: must be at least 2/,
    );
    expect(() => loadConfig({ ODATA_MAX_URL_LENGTH: 'long' })).toThrow(
      /ODATA_MAX_URL_LENGTH: must be a whole number/,
    );
    expect(() => loadConfig({ HTML_MAX_DEPHT: '5' })).toThrow(/HTML_MAX_DEPHT: unknown option/);
  });

  it('reports every bad value at once', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'x', DB_POOL_SIZE: '0', LOG_LEVEL: 'loud' });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of ['PORT', 'DB_POOL_SIZE', 'LOG_LEVEL']) expect(message).toContain(`  ${name}: `);
  });

  it('ignores unrelated environment variables', () => {
    expect(() => loadConfig({ PATH: '/bin', HOME: '/root' })).not.toThrow();
  });
});
