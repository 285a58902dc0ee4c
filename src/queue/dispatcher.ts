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

  constructor(@InjectQueue(EVENTS_QUEUE) private readonly events: Queue<ProcessEventJob>) {}

  async dispatchEvent(eventId: string): Promise<boolean> {
    try {
      await this.events.add(
        PROCESS_EVENT_JOB,
        { eventId },
        {
          jobId: eventJobId(eventId),
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
        },
      );
      return true;
    } catch (error) {
      this.logger.warn(
        `could not dispatch event ${eventId}; the reconciler will: ${(error as Error).message}`,
      );
      return false;
    }
  }
}
