import type { ChildProcess } from 'node:child_process';

export default async function globalTeardown(): Promise<void> {
  const child: ChildProcess | undefined = (globalThis as any).__EMBEDDED_PG__;
  if (!child || child.exitCode !== null) return;
  await new Promise((done) => {
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}
