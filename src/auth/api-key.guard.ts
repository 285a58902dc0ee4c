import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { checkAdmin } from './admin-auth';
import { IS_PUBLIC } from './public.decorator';

export class UnauthorizedError extends DomainError {
  constructor(message: string) {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(403, 'FORBIDDEN', message);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every route needs a key unless marked @Public(): `Authorization: Bearer <ADMIN_API_KEY>` (or, from a browser,
 * the web view's session) for everything; or a scoped key (`sbk_…`) for the routes of its environment only, and
 * only GET ones if it is read-only.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const bearer = /^Bearer\s+(sbk_\S+)\s*$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) return this.checkScoped(bearer, request);
    // The admin key is always set by the time requests arrive (see bootstrap).
    const check = checkAdmin(request.headers, this.config.ADMIN_API_KEY!);
    if (check === 'missing') throw new UnauthorizedError('send the API key as "Authorization: Bearer <key>"');
    if (check === 'invalid') throw new UnauthorizedError('the API key is not valid');
    return true;
  }

  private async checkScoped(key: string, request: FastifyRequest): Promise<boolean> {
    const scope = await this.apiKeys.authenticate(key);
    if (!scope) throw new UnauthorizedError('the API key is not valid, or was revoked');
    const environment = await this.environmentOf(request);
    if (environment === undefined) throw new ForbiddenError('this route needs the admin key');
    // An unknown event: let the route answer 404.
    if (environment !== null && environment !== scope.environment) {
      throw new ForbiddenError(`this key is for the ${scope.environment} environment only`);
    }
    if (scope.access === 'read' && request.method !== 'GET' && request.method !== 'HEAD') {
      throw new ForbiddenError('this key is read-only');
    }
    return true;
  }

  /** The environment a route works in: its `:env`, or an event's; undefined for routes that span environments. */
  private async environmentOf(request: FastifyRequest): Promise<string | null | undefined> {
    const params = request.params as Record<string, string | undefined>;
    if (params.env !== undefined) return params.env;
    if (request.routeOptions.url?.startsWith('/v1/events/:id') && params.id) {
      return UUID.test(params.id) ? this.apiKeys.environmentOfEvent(params.id) : null;
    }
    return undefined;
  }
}
