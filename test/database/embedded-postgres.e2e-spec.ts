import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';

/**
 * The embedded PostgreSQL across restarts, each run in a process of its own
 * (test/support/embedded-server.ts), as `npm start` would: data kept, a clean stop, recovery
 * after a hard kill, and a refusal to share a data directory with a running service.
 */
const SERVER = join(__dirname, '..', 'support', 'embedded-server.ts');

function run(dir: string): {
  child: ChildProcess;
  ready: Promise<string>;
  exited: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', SERVER, dir], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; stderr: string }>((ok) =>
    child.once('exit', (code) => ok({ code, stderr })),
  );
  const ready = new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', (line) => ok(JSON.parse(line).adminUrl));
    void exited.then(({ code }) => fail(new Error(`exited with ${code}: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

/** Exit code 0; otherwise the failure shows what the process wrote to stderr. */
function expectCleanExit({ code, stderr }: { code: number | null; stderr: string }): void {
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
}

async function sql(url: string, text: string): Promise<any[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/** Running (a zombie that its new parent has not reaped yet counts as gone). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return !existsSync('/proc/self'); // gone on Linux; elsewhere kill(0) is all there is
  }
};

describe('embedded PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'odata-tasks-embedded-'));
  const running: ChildProcess[] = [];
  afterAll(async () => {
    // Whatever a failed run left: its servers, then the directory.
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
    const pidFile = join(dir, 'pg', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (alive(pid)) process.kill(pid, 'SIGINT');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its data across a clean stop, recovers from a hard kill, and refuses a second user', async () => {
    const first = run(dir);
    running.push(first.child);
    const url = await first.ready;
    await sql(url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the restart')`);
    first.child.kill('SIGTERM');
    expectCleanExit(await first.exited);
    expect(existsSync(join(dir, 'pg', 'postmaster.pid'))).toBe(false);

    const second = run(dir);
    running.push(second.child);
    expect(await second.ready).toBe(url); // the port is remembered next to the data
    expect(await sql(url, `SELECT v FROM kept`)).toEqual([{ v: 'before the restart' }]);
    expect(await sql(url.replace(/\/postgres$/, '/tasks'), `SELECT current_database() AS db`)).toEqual([
      { db: 'tasks' },
    ]);

    // A second service on the same data directory is refused, the first keeps running.
    const intruder = run(dir);
    const refused = await intruder.exited;
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/in use by another running process/);
    expect(await sql(url, `SELECT count(*)::int AS n FROM kept`)).toEqual([{ n: 1 }]);

    // Killed hard: its PostgreSQL is orphaned and still holds the directory and the port.
    const orphan = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    second.child.kill('SIGKILL');
    await second.exited;
    expect(alive(orphan)).toBe(true);

    const third = run(dir);
    running.push(third.child);
    expect(await third.ready).toBe(url);
    expect(alive(orphan)).toBe(false);
    const now = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(now).not.toBe(orphan);
    expect(await sql(url, `SELECT v FROM kept`)).toEqual([{ v: 'before the restart' }]);
    third.child.kill('SIGTERM');
    expectCleanExit(await third.exited);
  }, 120_000);
});
