import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import type { Database } from './bootstrap';
import { ErrorFilter } from './common/error.filter';
import { validationPipe } from './common/validation.pipe';
import { AppConfig } from './config/app-config';
import { loggerModule } from './common/logging';
import type { Logger } from 'pino';
import { dataSourceOptions } from './database/data-source-options';
import { EnvironmentsModule } from './environments/environments.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { UiModule } from './ui/ui.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { MappingsModule } from './mappings/mappings.module';
import { QueueModule } from './queue/queue.module';
import { RateLimitGuard } from './rate-limits/rate-limit.guard';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { SourcesModule } from './sources/sources.module';
import { UsersModule } from './users/users.module';
import { WorkerModule } from './worker/worker.module';
import { WorkflowsModule } from './workflows/workflows.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: Database, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        loggerModule(logger),
        TypeOrmModule.forRoot(dataSourceOptions(database.url, database.poolSize)),
        QueueModule.forRoot(config),
        RateLimitsModule,
        HealthModule,
        ApiKeysModule,
        MetricsModule,
        UiModule,
        EnvironmentsModule,
        SourcesModule,
        IngestionModule,
        MappingsModule,
        UsersModule,
        WorkflowsModule,
        EventsModule,
        ...(config.consumesJobs ? [WorkerModule.register(!config.REDIS_URL)] : []),
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        // In this order: rate limits count even requests with wrong keys.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useValue: validationPipe },
      ],
      exports: [AppConfig],
    };
  }
}
