import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:generate -- src/database/migrations/<Name>`),
 * on DATABASE_URL's database, which should be migrated to the latest migration first. A module
 * of its own so that importing data-source.ts never reads the environment.
 *
 * Two things to know about the generated file: the generator reads TypeORM's `typeorm_metadata`
 * table (because of the generated "SearchVector" columns), so create it once in that database:
 *   CREATE TABLE IF NOT EXISTS typeorm_metadata (type varchar NOT NULL, database varchar, schema varchar, "table" varchar, name varchar, value text);
 * and it proposes to drop what the migrations add by hand (trigram, NULLS FIRST and search
 * indexes, CHECK constraints, "SearchVector"): delete those lines. test/database/schema.e2e-spec.ts
 * lists them and fails when anything else differs between the entities and the migrations.
 */
const { databaseUrl } = loadConfig();
if (!databaseUrl)
  throw new Error('The TypeORM CLI needs DATABASE_URL (a database migrated to the latest migration)');

export default new DataSource(
  dataSourceOptions(databaseUrl, { poolSize: 1, applicationName: 'odata-tasks:typeorm-cli' }),
);
