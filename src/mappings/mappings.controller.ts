import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ListQueryDto } from '../common/pagination';
import { CreateMappingDto } from './dto/create-mapping.dto';
import { TestMappingsDto } from './dto/test-mappings.dto';
import { UpdateMappingDto } from './dto/update-mapping.dto';
import { MappingsService } from './mappings.service';

@Controller('v1/sources/:source/environments/:env/mappings')
export class MappingsController {
  constructor(private readonly mappings: MappingsService) {}

  @Get() list(@Param('source') source: string, @Param('env') env: string, @Query() query: ListQueryDto) {
    return this.mappings.list(source, env, query);
  }

  @Post() create(@Param('source') source: string, @Param('env') env: string, @Body() dto: CreateMappingDto) {
    return this.mappings.create(source, env, dto);
  }

  /** Dry run: what the mappings would do with a payload. Writes nothing. */
  @Post('test') @HttpCode(200) test(
    @Param('source') source: string,
    @Param('env') env: string,
    @Body() dto: TestMappingsDto,
  ) {
    return this.mappings.test(source, env, dto);
  }

  @Get(':id') get(
    @Param('source') source: string,
    @Param('env') env: string,
    @Param('id', ParseUUIDPipe) id: string,
  ) {
    return this.mappings.get(source, env, id);
  }

  @Patch(':id') update(
    @Param('source') source: string,
    @Param('env') env: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMappingDto,
  ) {
    return this.mappings.update(source, env, id, dto);
  }

  @Delete(':id') @HttpCode(204) delete(
    @Param('source') source: string,
    @Param('env') env: string,
    @Param('id', ParseUUIDPipe) id: string,
  ) {
    return this.mappings.delete(source, env, id);
  }
}
