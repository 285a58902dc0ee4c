import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Dispatcher, Job, JOB_ATTEMPTS, JOB_BACKOFF_MS } from './dispatcher';
import { QueueName } from './queues';

type Handler = (id: string) => Promise<void>;

interface Queued extends Job {
  attempt: number;
}

/**
 * Runs jobs in this process, for a single process without Redis: the same promises as BullMQ (a job id queues
 * once until its job is done, delays, retries with backoff, bounded concurrency per queue). Nothing is kept
 * across a restart, and nothing needs to be: the reconciler finds in Postgres whatever was due.
 */
@Injectable()
export class LocalDispatcher extends Dispatcher implements BeforeApplicationShutdown {
  private readonly handlers = new Map<QueueName, Handler>();
  private readonly ready: Record<QueueName, Queued[]> = { events: [], workflows: [] };
  private readonly active: Record<QueueName, number> = { events: 0, workflows: 0 };
  /** Job ids queued, waiting for their time or running. */
  private readonly known = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly config: AppConfig) {
    super();
  }

  /** Sets what runs the jobs of a queue (the worker's part of this process). */
  handle(queue: QueueName, handler: Handler): void {
    this.handlers.set(queue, handler);
    this.pump(queue);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  counts() {
    const of = (queue: QueueName) => ({ waiting: this.ready[queue].length, active: this.active[queue] });
    return Promise.resolve({ events: of('events'), workflows: of('workflows') });
  }

  protected add(queue: QueueName, jobs: Job[]): Promise<number> {
    for (const job of jobs) {
      if (this.closed || this.known.has(job.jobId)) continue;
      this.known.add(job.jobId);
      this.after(job.delay, () => this.enqueue(queue, { ...job, attempt: 1 }));
    }
    return Promise.resolve(jobs.length);
  }

  /** Stops taking jobs and waits for those running; what was waiting is found again by the reconciler. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }

  private after(delay: number, work: () => void): void {
    if (delay <= 0) return work();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, delay);
    this.timers.add(timer);
  }

  private enqueue(queue: QueueName, job: Queued): void {
    if (this.closed) return;
    this.ready[queue].push(job);
    this.pump(queue);
  }

  private pump(queue: QueueName): void {
    const handler = this.handlers.get(queue);
    while (handler && !this.closed && this.active[queue] < this.config.WORKER_CONCURRENCY) {
      const job = this.ready[queue].shift();
      if (!job) return;
      this.active[queue]++;
      const run = this.run(queue, handler, job).finally(() => {
        this.running.delete(run);
        this.active[queue]--;
        this.pump(queue);
      });
      this.running.add(run);
    }
  }

  private async run(queue: QueueName, handler: Handler, job: Queued): Promise<void> {
    try {
      await handler(job.id);
      this.known.delete(job.jobId);
    } catch (error) {
      this.logger.warn(
        `${queue} job ${job.jobId} failed (try ${job.attempt} of ${JOB_ATTEMPTS}): ${(error as Error).message}`,
      );
      if (job.attempt >= JOB_ATTEMPTS) {
        this.known.delete(job.jobId);
        return;
      }
      const delay = JOB_BACKOFF_MS * 2 ** (job.attempt - 1);
      this.after(delay, () => this.enqueue(queue, { ...job, attempt: job.attempt + 1 }));
    }
  }
}
