import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module';
import { MappingsController } from './mappings.controller';
import { MappingsService } from './mappings.service';

@Module({
  imports: [SourcesModule],
  controllers: [MappingsController],
  providers: [MappingsService],
})
export class MappingsModule {}
