import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AdmissionGate } from '../odata/http/admission';
import { PlanCache } from '../odata/plan/plan-cache';

/** What the service reports to Prometheus at /metrics. */
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'odata_requests_total',
    help: 'Requests by entity set (or resource), method and status',
    labelNames: ['entity_set', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly duration = new Histogram({
    name: 'odata_request_duration_seconds',
    help: 'Request latency by entity set and method',
    labelNames: ['entity_set', 'method'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly rows = new Counter({
    name: 'odata_rows_streamed_total',
    help: 'Entities written into collection responses, by entity set',
    labelNames: ['entity_set'] as const,
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'odata_batch_requests',
    help: 'Requests per $batch',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [this.registry],
  });

  /** Event-stream subscribers, reminder and webhook queues: set by the features that own them. */
  readonly gauges = new Map<string, Gauge>();

  /** Requests answered 503 by admission: the lane's queue was full, or the wait ran out. */
  readonly admissionRejected = new Counter({
    name: 'odata_admission_rejected_total',
    help: 'Requests answered 503 because no database connection became free (reason queue_full or timeout), by lane',
    labelNames: ['lane', 'reason'] as const,
    registers: [this.registry],
  });

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Optional() admission?: AdmissionGate,
    @Optional() plans?: PlanCache<unknown>,
  ) {
    collectDefaultMetrics({ register: this.registry });
    if (plans) {
      // Compiled query plans (src/odata/plan): a miss compiles SQL, a hit only binds values.
      new Gauge({
        name: 'odata_plan_cache',
        help: 'Query plan cache: hits, misses and evictions since start, and shapes held (size)',
        labelNames: ['stat'] as const,
        registers: [this.registry],
        collect() {
          this.set({ stat: 'hits' }, plans.hits);
          this.set({ stat: 'misses' }, plans.misses);
          this.set({ stat: 'evictions' }, plans.evictions);
          this.set({ stat: 'size' }, plans.size);
        },
      });
    }
    if (admission) {
      admission.onReject = (lane, reason) => this.admissionRejected.inc({ lane, reason });
      new Gauge({
        name: 'odata_admission_requests',
        help: 'Requests holding a database slot (state active) or waiting for one (state waiting), by lane (short, long)',
        labelNames: ['lane', 'state'] as const,
        registers: [this.registry],
        collect() {
          const s = admission.stats();
          for (const lane of ['short', 'long'] as const) {
            this.set({ lane, state: 'active' }, s.active[lane]);
            this.set({ lane, state: 'waiting' }, s.waiting[lane]);
          }
        },
      });
    }
    const pool = () =>
      (
        dataSource.driver as unknown as {
          master?: { totalCount: number; idleCount: number; waitingCount: number };
        }
      ).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
  }

  gauge(name: string, help: string, collect: () => number | Promise<number>): void {
    if (this.gauges.has(name)) return;
    this.gauges.set(
      name,
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(await collect());
        },
      }),
    );
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }
}
