import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventProcessingService } from '../events/event-processing.service';
import { LocalDispatcher } from '../queue/local-dispatcher';
import { WorkflowEngine } from '../workflows/workflow-engine';

/** Without Redis, this process runs its own jobs: the in-process dispatcher hands them here. */
@Injectable()
export class LocalJobs implements OnModuleInit {
  constructor(
    private readonly dispatcher: LocalDispatcher,
    private readonly processing: EventProcessingService,
    private readonly engine: WorkflowEngine,
  ) {}

  onModuleInit(): void {
    this.dispatcher.handle('events', (id) => this.processing.process(id));
    this.dispatcher.handle('workflows', (id) => this.engine.advance(id));
  }
}
