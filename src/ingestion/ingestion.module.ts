import { Module } from '@nestjs/common';
import { EventWriter } from './event-writer';
import { IngestionRateLimit } from './ingestion-rate-limit';
import { IngestionSources } from './ingestion-sources';
import { IngestionController } from './ingestion.controller';
import { IngestionService } from './ingestion.service';

@Module({
  controllers: [IngestionController],
  providers: [IngestionService, IngestionSources, EventWriter, IngestionRateLimit],
})
export class IngestionModule {}
