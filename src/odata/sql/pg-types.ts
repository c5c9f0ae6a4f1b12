import type { EdmPrimitive } from '../model/edm-model';

/** Edm primitive -> PostgreSQL type used when casting bound parameters. */
export const PG_TYPE: Record<EdmPrimitive, string> = {
  'Edm.Guid': 'uuid',
  'Edm.String': 'text',
  'Edm.Boolean': 'boolean',
  'Edm.Byte': 'smallint',
  'Edm.SByte': 'smallint',
  'Edm.Int16': 'smallint',
  'Edm.Int32': 'integer',
  'Edm.Int64': 'bigint',
  'Edm.Double': 'double precision',
  'Edm.Single': 'real',
  'Edm.Decimal': 'numeric',
  'Edm.DateTimeOffset': 'timestamptz',
  'Edm.Date': 'date',
  'Edm.TimeOfDay': 'time',
  'Edm.Duration': 'interval',
  'Edm.Binary': 'bytea',
};

export const NUMERIC_TYPES = new Set<string>([
  'Edm.Byte',
  'Edm.SByte',
  'Edm.Int16',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Double',
  'Edm.Single',
  'Edm.Decimal',
]);

/**
 * `odata_try_cast_<suffix>(text)` (migration 1763850000011): the value converted, or null when it
 * does not convert, as OData's cast() promises. A plain CAST would raise with the row's value in
 * its message.
 */
export const TRY_CAST_FUNCTION: Record<string, string> = {
  uuid: 'odata_try_cast_uuid',
  boolean: 'odata_try_cast_boolean',
  smallint: 'odata_try_cast_smallint',
  integer: 'odata_try_cast_integer',
  bigint: 'odata_try_cast_bigint',
  'double precision': 'odata_try_cast_double',
  real: 'odata_try_cast_real',
  numeric: 'odata_try_cast_numeric',
  timestamptz: 'odata_try_cast_timestamptz',
  date: 'odata_try_cast_date',
  time: 'odata_try_cast_time',
  interval: 'odata_try_cast_interval',
  bytea: 'odata_try_cast_bytea',
};
