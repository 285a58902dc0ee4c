import { Module } from '@nestjs/common';
import { EventWriter } from './event-writer';
import { IngestionSources } from './ingestion-sources';
import { IngestionController } from './ingestion.controller';
import { IngestionService } from './ingestion.service';

@Module({
  controllers: [IngestionController],
  providers: [IngestionService, IngestionSources, EventWriter],
})
export class IngestionModule {}
