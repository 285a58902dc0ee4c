import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Dispatcher, Job, JOB_ATTEMPTS, JOB_BACKOFF_MS } from './dispatcher';
import { EVENTS_QUEUE, JOB_NAMES, JobData, QueueName, WORKFLOWS_QUEUE } from './queues';

/** Queues jobs in BullMQ, for workers in any process. */
@Injectable()
export class BullDispatcher extends Dispatcher {
  private readonly queues: Record<QueueName, Queue<JobData>>;

  constructor(
    @InjectQueue(EVENTS_QUEUE) events: Queue<JobData>,
    @InjectQueue(WORKFLOWS_QUEUE) workflows: Queue<JobData>,
  ) {
    super();
    this.queues = { events, workflows };
  }

  ping(): Promise<void> {
    return answerSoon(async () => {
      const client = (await this.queues.events.getBackend().client) as unknown as { ping(): Promise<string> };
      await client.ping();
    });
  }

  counts() {
    const states = ['waiting', 'active', 'delayed', 'failed'] as const;
    return answerSoon(async () => ({
      events: await this.queues.events.getJobCounts(...states),
      workflows: await this.queues.workflows.getJobCounts(...states),
    }));
  }

  protected async add(queue: QueueName, jobs: Job[]): Promise<number> {
    if (jobs.length === 0) return 0;
    try {
      await this.queues[queue].addBulk(
        jobs.map(({ id, jobId, delay }) => ({
          name: JOB_NAMES[queue],
          data: { id },
          opts: {
            jobId,
            delay,
            removeOnComplete: true,
            removeOnFail: true,
            attempts: JOB_ATTEMPTS,
            backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
          },
        })),
      );
      return jobs.length;
    } catch (error) {
      this.logger.warn(
        `could not queue ${jobs.length} ${queue} job(s); the reconciler will: ${(error as Error).message}`,
      );
      return 0;
    }
  }
}

/** BullMQ's connection waits and retries forever while Redis is away: probes give up after 2 s instead. */
async function answerSoon<T>(ask: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Redis did not answer within 2 s')), 2000);
  });
  return Promise.race([ask(), timeout]).finally(() => clearTimeout(timer));
}
