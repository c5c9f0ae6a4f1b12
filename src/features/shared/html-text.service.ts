import { Global, Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { HtmlLimits, checkHtml, convertOptions, nestsDeeperThan, stripTags } from './html-text';

/**
 * The worker's whole program. Plain CommonJS given as text (eval), so it runs the same from
 * the TypeScript sources (tests) and from the build; html-to-text is resolved by the service.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { convert } = require(workerData.htmlToText);
parentPort.on('message', ({ id, html, options }) => {
  try {
    parentPort.postMessage({ id, text: convert(html, options).trim() });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message) });
  }
});
`;

interface Pending {
  resolve: (text: string) => void;
  reject: (e: Error) => void;
}

/**
 * HTML -> plain text for notes and task descriptions. Even within HTML_MAX_LENGTH a conversion
 * takes up to a few hundred milliseconds (30,000 <p>s), so it runs in one worker thread, started
 * on first use: the event loop goes on serving other requests meanwhile. HTML is measured on the
 * calling thread first (linear and in slices, see html-text.ts).
 */
@Injectable()
export class HtmlText implements OnModuleDestroy {
  readonly limits: HtmlLimits;
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limits = config.html;
  }

  /** Plain text of HTML a client sends (e.g. AddNote's htmlText); beyond the limits a 400 naming `target`. */
  async checkedText(html: string, target: string): Promise<string> {
    await checkHtml(html, this.limits, target);
    return this.convert(html);
  }

  /** Plain text of any HTML (stored): cut to HTML_MAX_LENGTH; nested beyond HTML_MAX_DEPTH, only its tags removed. */
  async toText(html: string): Promise<string> {
    const cut = html.length > this.limits.maxLength ? html.slice(0, this.limits.maxLength) : html;
    if (await nestsDeeperThan(cut, this.limits.maxDepth)) return stripTags(cut);
    return this.convert(cut);
  }

  /** Converts HTML already within the limits, in the worker. */
  private convert(html: string): Promise<string> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, html, options: convertOptions(this.limits) });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { htmlToText: require.resolve('html-to-text') },
    });
    // Requests keep the process alive, not this thread.
    worker.unref();
    worker.on('message', (m: { id: number; text?: string; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`HTML conversion failed: ${m.error}`));
      else p?.resolve(m.text ?? '');
    });
    const fail = (e: Error) => {
      // A crashed worker fails what it held; the next conversion starts a new one.
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The HTML worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

/** Provides HtmlText to every feature module. */
@Global()
@Module({ providers: [HtmlText], exports: [HtmlText] })
export class HtmlTextModule {}
