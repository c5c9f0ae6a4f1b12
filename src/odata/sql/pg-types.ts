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

export const NUMERIC_TYPES = new Set<string>(['Edm.Byte', 'Edm.SByte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Double', 'Edm.Single', 'Edm.Decimal']);
