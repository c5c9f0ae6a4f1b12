import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_ADMIN_TOKEN } from './odata-client';

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * The real service (src/main.ts) in a process of its own, for what only a process shows:
 * SIGTERM, memory, a crashed database. Resolves once /health/live answers.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...nodeArgs, '-r', '@swc-node/register', join(__dirname, '../../src/main.ts')],
    {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`${base}/health/live`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
