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
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, PageOf } from '../common/openapi';
import { MappingResponse, MappingTestResponse } from './dto/mapping.response';
import { ListQueryDto } from '../common/pagination';
import { CreateMappingDto } from './dto/create-mapping.dto';
import { TestMappingsDto } from './dto/test-mappings.dto';
import { UpdateMappingDto } from './dto/update-mapping.dto';
import { MappingsService } from './mappings.service';

@ApiTags('mappings')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/sources/:source/environments/:env/mappings')
export class MappingsController {
  constructor(private readonly mappings: MappingsService) {}

  @ApiOkResponse({ type: PageOf(MappingResponse) })
  @ApiErrors(404, 422)
  @Get()
  list(@Param('source') source: string, @Param('env') env: string, @Query() query: ListQueryDto) {
    return this.mappings.list(source, env, query);
  }

  @ApiCreatedResponse({ type: MappingResponse })
  @ApiErrors(404, 422)
  @Post()
  create(@Param('source') source: string, @Param('env') env: string, @Body() dto: CreateMappingDto) {
    return this.mappings.create(source, env, dto);
  }

  /** Dry run: what the mappings would do with a payload. Writes nothing. */
  @ApiOkResponse({ type: MappingTestResponse })
  @ApiErrors(404, 422)
  @Post('test')
  @HttpCode(200)
  test(@Param('source') source: string, @Param('env') env: string, @Body() dto: TestMappingsDto) {
    return this.mappings.test(source, env, dto);
  }

  @ApiOkResponse({ type: MappingResponse })
  @ApiErrors(400, 404)
  @Get(':id')
  get(@Param('source') source: string, @Param('env') env: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.mappings.get(source, env, id);
  }

  @ApiOkResponse({ type: MappingResponse })
  @ApiErrors(400, 404, 422)
  @Patch(':id')
  update(
    @Param('source') source: string,
    @Param('env') env: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMappingDto,
  ) {
    return this.mappings.update(source, env, id, dto);
  }

  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  @Delete(':id')
  @HttpCode(204)
  delete(@Param('source') source: string, @Param('env') env: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.mappings.delete(source, env, id);
  }
}
