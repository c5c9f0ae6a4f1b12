/** The machine a run ran on, for the reports. */
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { Machine } from './results';

export function machine(postgres: string): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    /* not Linux */
  }
  return {
    cpu,
    cores: cpus().length,
    ramGb: totalmem() / 2 ** 30,
    node: process.version,
    postgres,
    os: `${process.platform} ${release()}`,
  };
}
