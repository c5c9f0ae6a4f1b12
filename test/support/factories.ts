import { ODataClient } from './odata-client';

/** Creates rows through the public API, returning their JSON representation. */
export class Factories {
  private n = 0;
  constructor(private readonly client: ODataClient) {}

  async create(set: string, body: Record<string, unknown>): Promise<any> {
    const r = await this.client.post(set, body);
    if (r.status !== 201) throw new Error(`POST ${set} -> ${r.status}: ${r.text}`);
    return r.body;
  }

  contact(extra: Record<string, unknown> = {}) {
    return this.create('Contact', {
      DisplayName: `Contact ${++this.n}`,
      Email: `c${this.n}@example.test`,
      ...extra,
    });
  }

  project(extra: Record<string, unknown> = {}) {
    return this.create('Project', { Name: `Project ${++this.n}`, ...extra });
  }

  status(projectId: string, extra: Record<string, unknown> = {}) {
    return this.create('TaskStatus', {
      Name: `Column ${++this.n}`,
      ProjectId: projectId,
      OrdinalPosition: this.n,
      ...extra,
    });
  }

  task(extra: Record<string, unknown> = {}) {
    return this.create('Task', { Name: `Task ${++this.n}`, ...extra });
  }
}
