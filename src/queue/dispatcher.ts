import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { EVENTS_QUEUE, eventJobId, PROCESS_EVENT_JOB, ProcessEventJob } from './queues';

/**
 * Hands committed work to the workers. Losing a dispatch loses nothing: the reconciler finds every event that
 * is due but not being worked on. The job id is derived from the event id, so dispatching twice queues once.
 * Callers need not await it: the answer to a client depends on the commit, not on Redis.
 */
@Injectable()
export class Dispatcher {
  private readonly logger = new Logger(Dispatcher.name);
  private batch: { ids: string[]; sent: Promise<number> } | undefined;

  constructor(@InjectQueue(EVENTS_QUEUE) private readonly events: Queue<ProcessEventJob>) {}

  /**
   * Queues one event. Events dispatched in the same turn of the event loop go to Redis in one round trip,
   * which under load saves most of the queue's cost on the ingestion path.
   */
  async dispatchEvent(eventId: string): Promise<boolean> {
    if (!this.batch) {
      const ids: string[] = [];
      const sent = new Promise<void>((next) => setImmediate(next)).then(() => {
        this.batch = undefined;
        return this.dispatchEvents(ids);
      });
      this.batch = { ids, sent };
    }
    this.batch.ids.push(eventId);
    return (await this.batch.sent) > 0;
  }

  /** Queues several events in one round trip; returns how many were handed over (all or none). */
  async dispatchEvents(eventIds: string[]): Promise<number> {
    return this.add(eventIds.map((eventId) => ({ eventId, jobId: eventJobId(eventId), delay: 0 })));
  }

  /**
   * Queues an event to run after a delay (an action's retry, a replay). The job id is tagged so that it does not
   * collide with the event's job while that one is still running.
   */
  async dispatchEventIn(eventId: string, seconds: number, tag: string): Promise<boolean> {
    return (await this.add([{ eventId, jobId: `${eventJobId(eventId)}-${tag}`, delay: seconds * 1000 }])) > 0;
  }

  private async add(jobs: { eventId: string; jobId: string; delay: number }[]): Promise<number> {
    if (jobs.length === 0) return 0;
    try {
      await this.events.addBulk(
        jobs.map(({ eventId, jobId, delay }) => ({
          name: PROCESS_EVENT_JOB,
          data: { eventId },
          opts: {
            jobId,
            delay,
            removeOnComplete: true,
            removeOnFail: true,
            attempts: 5,
            backoff: { type: 'exponential', delay: 1000 },
          },
        })),
      );
      return jobs.length;
    } catch (error) {
      this.logger.warn(
        `could not dispatch ${jobs.length} event(s); the reconciler will: ${(error as Error).message}`,
      );
      return 0;
    }
  }
}
