import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BullDispatcher } from './bull-dispatcher';
import { Dispatcher } from './dispatcher';
import { LocalDispatcher } from './local-dispatcher';
import { EVENTS_QUEUE, QUEUE_DASHBOARD, WORKFLOWS_QUEUE } from './queues';

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
        // BullMQ's dashboard, where the API is served; bootstrap puts it behind the admin key.
        ...(config.servesApi
          ? [
              BullBoardModule.forRoot({ route: QUEUE_DASHBOARD, adapter: FastifyAdapter }),
              BullBoardModule.forFeature(
                { name: EVENTS_QUEUE, adapter: BullMQAdapter },
                { name: WORKFLOWS_QUEUE, adapter: BullMQAdapter },
              ),
            ]
          : []),
      ],
      providers: [{ provide: Dispatcher, useClass: BullDispatcher }],
      exports: [Dispatcher, BullModule],
    };
  }
}
