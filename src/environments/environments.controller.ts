import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, PageOf } from '../common/openapi';
import { EnvironmentResponse } from './dto/environment.response';
import { ListQueryDto } from '../common/pagination';
import { CreateEnvironmentDto } from './dto/create-environment.dto';
import { EnvironmentsService } from './environments.service';

@ApiTags('environments')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentsService) {}

  @ApiOkResponse({ type: PageOf(EnvironmentResponse) })
  @ApiErrors(400, 422)
  @Get()
  list(@Query() query: ListQueryDto) {
    return this.environments.list(query);
  }

  @ApiOkResponse({ type: EnvironmentResponse })
  @ApiErrors(404)
  @Get(':env')
  get(@Param('env') slug: string) {
    return this.environments.get(slug);
  }

  @ApiCreatedResponse({ type: EnvironmentResponse })
  @ApiErrors(409, 422)
  @Post()
  create(@Body() dto: CreateEnvironmentDto) {
    return this.environments.create(dto);
  }
}
