import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { IngestionTokenNotFoundError } from './ingestion.errors';
import { IncomingRequest, IngestionResult, IngestionService } from './ingestion.service';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

@Controller('integrations/receive')
export class IngestionController {
  constructor(private readonly ingestion: IngestionService) {}

  /** 202 for a new event, 200 for a duplicate (with the original's id). The token is the credential. */
  @Public()
  @Post(':token')
  async receive(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IngestionResult> {
    if (!TOKEN_PATTERN.test(token)) throw new IngestionTokenNotFoundError();
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
