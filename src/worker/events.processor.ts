import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { EventProcessingService } from '../events/event-processing.service';
import { EVENTS_QUEUE, JobData } from '../queue/queues';
import { QueueWorker } from './queue-worker';

@Processor(EVENTS_QUEUE)
export class EventsProcessor extends QueueWorker {
  constructor(
    private readonly processing: EventProcessingService,
    config: AppConfig,
  ) {
    super(config);
  }

  process(job: Job<JobData>): Promise<void> {
    return this.processing.process(job.data.id);
  }
}
