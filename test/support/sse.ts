/** Reads a Server-Sent Events stream in tests: collects events, waits for one that matches. */
export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  status = 0;

  private constructor() {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers },
      signal: c.controller.signal,
    });
    c.status = res.status;
    if (!res.ok || !res.body) return c;
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const e: SseEvent = { event: 'message', data: undefined };
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) e.id = line.slice(4);
              else if (line.startsWith('event: ')) e.event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (!data.length) continue;
            e.data = JSON.parse(data.join('\n'));
            c.events.push(e);
            c.waiters.forEach((w) => w());
          }
        }
      } catch {
        /* closed */
      }
    })();
    return c;
  }

  /** Resolves with the first event matching, waiting up to `ms`. */
  async waitFor(match: (e: SseEvent) => boolean, ms = 3000): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching event within ${ms} ms; got ${JSON.stringify(this.events.map((e) => e.data))}`,
        );
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, left);
        this.waiters.push(() => {
          clearTimeout(t);
          ok();
        });
      });
      this.waiters = [];
    }
  }

  close(): void {
    this.controller.abort();
  }
}
