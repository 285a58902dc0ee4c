import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { checkAdmin } from './admin-auth';
import { IS_PUBLIC } from './public.decorator';

export class UnauthorizedError extends DomainError {
  constructor(message: string) {
    super(401, 'UNAUTHORIZED', message);
  }
}

/**
 * Every route needs `Authorization: Bearer <ADMIN_API_KEY>` (or, from a browser, the web view's session) unless
 * marked @Public().
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const headers = context.switchToHttp().getRequest<FastifyRequest>().headers;
    // The key is always set by the time requests arrive (see bootstrap).
    const check = checkAdmin(headers, this.config.ADMIN_API_KEY!);
    if (check === 'missing') throw new UnauthorizedError('send the API key as "Authorization: Bearer <key>"');
    if (check === 'invalid') throw new UnauthorizedError('the API key is not valid');
    return true;
  }
}
