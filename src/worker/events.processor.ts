import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { EVENTS_QUEUE, JobData } from '../queue/queues';
import { EventProcessingService } from '../events/event-processing.service';

@Processor(EVENTS_QUEUE)
export class EventsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly processing: EventProcessingService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  process(job: Job<JobData>): Promise<void> {
    return this.processing.process(job.data.id);
  }
}
