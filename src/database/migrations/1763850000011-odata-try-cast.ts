import { MigrationInterface, QueryRunner } from 'typeorm';

/** The PostgreSQL types OData's cast() can target (src/odata/sql/pg-types.ts), by function suffix. */
export const TRY_CAST_TYPES: Record<string, string> = {
  uuid: 'uuid',
  boolean: 'boolean',
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  double: 'double precision',
  real: 'real',
  numeric: 'numeric',
  timestamptz: 'timestamptz',
  date: 'date',
  time: 'time',
  interval: 'interval',
  bytea: 'bytea',
};

/**
 * OData's cast() yields null when a value does not convert (URL Conventions §5.1.1.10.1);
 * PostgreSQL's CAST raises, and its message quotes the value: a row's content in an error.
 * `odata_try_cast_<type>(text)` converts or returns null. On PostgreSQL 16 and later
 * pg_input_is_valid() tests the text without an error; before, an exception block does (a
 * subtransaction per call: slower, but only queries that cast pay it).
 */
export class ODataTryCast1763850000011 implements MigrationInterface {
  name = 'ODataTryCast1763850000011';

  public async up(q: QueryRunner): Promise<void> {
    const [{ version }] = await q.query(`SELECT current_setting('server_version_num')::int AS version`);
    for (const [suffix, type] of Object.entries(TRY_CAST_TYPES)) {
      const body =
        version >= 160000
          ? `LANGUAGE sql STABLE PARALLEL SAFE AS $$
             SELECT CASE WHEN pg_input_is_valid(value, '${type}') THEN CAST(value AS ${type}) END $$`
          : `LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
             BEGIN RETURN CAST(value AS ${type}); EXCEPTION WHEN others THEN RETURN NULL; END $$`;
      await q.query(`CREATE FUNCTION odata_try_cast_${suffix}(value text) RETURNS ${type} ${body}`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const suffix of Object.keys(TRY_CAST_TYPES))
      await q.query(`DROP FUNCTION odata_try_cast_${suffix}(text)`);
  }
}
