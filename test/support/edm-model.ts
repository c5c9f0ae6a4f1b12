import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/database/entities';
import { buildEdmModel } from '../../src/odata/model/build-edm-model';
import type { EdmModel } from '../../src/odata/model/edm-model';

let built: Promise<{ dataSource: DataSource; model: EdmModel }> | undefined;

/**
 * The app's EDM model, built as ODataModule builds it (buildEdmModel over TypeORM's metadata of
 * the app's entities) without connecting to a database: for tests of bind/ and of generated SQL.
 * The DataSource is never initialized; its driver only escapes parameters.
 */
export function appModel(): Promise<{ dataSource: DataSource; model: EdmModel }> {
  built ??= (async () => {
    const dataSource = new DataSource({ type: 'postgres', entities: ENTITIES });
    // TypeORM builds metadata when it connects; this builds it alone.
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
    return { dataSource, model: buildEdmModel(dataSource, { namespace: 'Tasks' }) };
  })();
  return built;
}
