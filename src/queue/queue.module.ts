import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Dispatcher } from './dispatcher';
import { EVENTS_QUEUE, WORKFLOWS_QUEUE } from './queues';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.REDIS_URL },
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueue({ name: EVENTS_QUEUE }, { name: WORKFLOWS_QUEUE }),
  ],
  providers: [Dispatcher],
  exports: [Dispatcher, BullModule],
})
export class QueueModule {}
