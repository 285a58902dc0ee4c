import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BullDispatcher } from './bull-dispatcher';
import { Dispatcher } from './dispatcher';
import { LocalDispatcher } from './local-dispatcher';
import { EVENTS_QUEUE, WORKFLOWS_QUEUE } from './queues';

@Global()
@Module({})
export class QueueModule {
  /** BullMQ on Redis when REDIS_URL is set; otherwise jobs run in this process. */
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.REDIS_URL) {
      return {
        module: QueueModule,
        providers: [LocalDispatcher, { provide: Dispatcher, useExisting: LocalDispatcher }],
        exports: [Dispatcher, LocalDispatcher],
      };
    }
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: config.QUEUE_PREFIX }),
        BullModule.registerQueue({ name: EVENTS_QUEUE }, { name: WORKFLOWS_QUEUE }),
      ],
      providers: [{ provide: Dispatcher, useClass: BullDispatcher }],
      exports: [Dispatcher, BullModule],
    };
  }
}
