import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, PageOf } from '../common/openapi';
import { AcceptedResponse, EventSummary, EventTrace, EventTypesResponse } from './dto/event.response';
import { ListEventsQuery } from './dto/list-events.query';
import { ReplayEventDto } from './dto/replay-event.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @ApiOkResponse({ type: PageOf(EventSummary), description: 'Newest first' })
  @ApiErrors(400, 404, 422)
  @Get('sources/:source/environments/:env/events')
  list(@Param('source') source: string, @Param('env') env: string, @Query() query: ListEventsQuery) {
    return this.events.list(source, env, query);
  }

  @ApiOkResponse({ type: EventTypesResponse })
  @ApiErrors(404)
  @Get('sources/:source/environments/:env/event-types')
  eventTypes(@Param('source') source: string, @Param('env') env: string) {
    return this.events.eventTypes(source, env);
  }

  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiErrors(400, 404, 409, 422)
  @Post('events/:id/replay')
  @HttpCode(202)
  replay(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReplayEventDto) {
    return this.events.replay(id, dto);
  }

  @ApiOkResponse({ type: EventTrace })
  @ApiErrors(400, 404)
  @Get('events/:id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.events.trace(id);
  }
}
