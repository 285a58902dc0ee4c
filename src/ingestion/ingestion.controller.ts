import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ErrorResponse } from '../common/openapi';
import { AcceptedResponse } from '../events/dto/event.response';
import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { RateLimitedError } from '../rate-limits/rate-limit.guard';
import { IngestionRateLimit } from './ingestion-rate-limit';
import { IngestionTokenNotFoundError } from './ingestion.errors';
import { IncomingRequest, IngestionService } from './ingestion.service';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

@ApiTags('ingestion')
@Controller('integrations/receive')
export class IngestionController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly rateLimit: IngestionRateLimit,
  ) {}

  /** 202 for a new event, 200 for a duplicate (with the original's id). The token is the credential. */
  @Public()
  @ApiOperation({
    summary: "Receive an event (what PostHog's destination calls); the token is the credential",
  })
  @ApiBody({
    schema: { type: 'object', description: 'Any JSON object, read whatever the content type says' },
  })
  @ApiAcceptedResponse({ type: AcceptedResponse, description: 'Committed; it will be processed' })
  @ApiOkResponse({ type: AcceptedResponse, description: "A duplicate: the original event's id" })
  @ApiErrors(400, 404, 413, 429, 503)
  @ApiResponse({
    status: 401,
    type: ErrorResponse,
    description: 'The verification the source requires failed',
  })
  @Post(':token')
  async receive(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedResponse> {
    if (!TOKEN_PATTERN.test(token)) throw new IngestionTokenNotFoundError();
    if (this.rateLimit.exceeded(token)) {
      void reply.header('retry-after', '1');
      throw new RateLimitedError(1);
    }
    const incoming: IncomingRequest = {
      rawBody: request.rawBody ?? Buffer.alloc(0),
      rawText: request.rawText ?? '',
      body: request.body,
      headers: request.headers,
      query: request.query as Record<string, unknown>,
    };
    try {
      const result = await this.ingestion.receive(token, incoming);
      void reply.status(result.status === 'accepted' ? 202 : 200);
      return result;
    } finally {
      request.ingestionLabels = incoming.source;
    }
  }
}
