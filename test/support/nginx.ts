import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './service-process';

/**
 * Debian's nginx running the repository's load balancer configuration
 * (deploy/scale/nginx.conf, as docker-compose.scale.yml mounts it) in front of service instances
 * on 127.0.0.1: only the upstream addresses and the listening port are changed.
 */
export class Nginx {
  readonly dir = mkdtempSync(join(tmpdir(), 'odata-tasks-nginx-'));
  private child?: ChildProcess;
  port = 0;
  readonly log: string[] = [];

  constructor(private readonly upstreamPorts: number[]) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const shipped = readFileSync(join(__dirname, '../../deploy/scale/nginx.conf'), 'utf8');
    const servers = this.upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=2 fail_timeout=5s;`);
    const site = shipped
      .replace(/^\s*server api\d:3000[^\n]*\n/gm, '')
      .replace(/upstream odata_tasks \{\n/, `upstream odata_tasks {\n${servers.join('\n')}\n`)
      .replace(/listen 80;/, `listen 127.0.0.1:${this.port};`);
    if (site === shipped || !site.includes(`127.0.0.1:${this.upstreamPorts[0]}`)) {
      throw new Error('deploy/scale/nginx.conf no longer has the shape this test rewrites');
    }
    writeFileSync(join(this.dir, 'site.conf'), site);
    writeFileSync(
      join(this.dir, 'nginx.conf'),
      [
        // as root, workers would run as nobody and could not write the temp paths below
        ...(process.getuid?.() === 0 ? ['user root;'] : []),
        'worker_processes 1;',
        'daemon off;',
        `pid ${join(this.dir, 'nginx.pid')};`,
        `error_log ${join(this.dir, 'error.log')};`,
        'events { worker_connections 256; }',
        'http {',
        '  access_log off;',
        `  client_body_temp_path ${join(this.dir, 'body')};`,
        `  proxy_temp_path ${join(this.dir, 'proxy')};`,
        `  include ${join(this.dir, 'site.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    chmodSync(this.dir, 0o755);
    this.child = spawn('nginx', ['-p', this.dir, '-c', join(this.dir, 'nginx.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr?.on('data', (d) => this.log.push(String(d)));
    await this.listening();
  }

  private async listening(): Promise<void> {
    const end = Date.now() + 10_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(this.port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (ok) return;
      if (this.child?.exitCode !== null || Date.now() > end) {
        throw new Error(`nginx did not start: ${this.log.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((r) => this.child!.once('exit', r));
      this.child.kill('SIGQUIT');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
