import { WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JOB_ATTEMPTS } from '../queue/dispatcher';

/** What both queues' BullMQ processors share: concurrency from the settings, and a log line per failed try. */
export abstract class QueueWorker extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(this.constructor.name);

  protected constructor(private readonly config: AppConfig) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
    // BullMQ retries on its own; without this line a job that keeps throwing would leave no trace.
    this.worker.on('failed', (job, error) =>
      this.logger.warn(
        `job ${job?.id} failed (try ${job?.attemptsMade} of ${JOB_ATTEMPTS}): ${error.message}`,
      ),
    );
  }
}
