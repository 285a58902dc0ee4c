import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { AppConfig } from '../config/app-config';
import { Dispatcher } from '../queue/dispatcher';

/** Probes for orchestrators: no key needed, nothing sensitive shown. */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispatcher: Dispatcher,
    private readonly config: AppConfig,
  ) {}

  /** The process is up and serving. */
  @Get('live')
  live() {
    return this.health.check([]);
  }

  /** It can do its work: the database answers and is migrated, and so does Redis when there is one. */
  @ApiServiceUnavailableResponse({ description: 'Not ready: the report names the part that is down' })
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 2000 }),
        () => this.migrations(),
        () => this.queue(),
      ]);
    } catch (error) {
      // Terminus's own report, not the API's error shape: probes and dashboards expect it.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }

  private async migrations() {
    const check = this.indicators.check('migrations');
    const pending = await this.db.showMigrations();
    return pending ? check.down({ message: 'migrations are pending' }) : check.up();
  }

  private async queue() {
    const check = this.indicators.check('queue');
    const kind = this.config.REDIS_URL ? 'redis' : 'in-process';
    try {
      await this.dispatcher.ping();
      return check.up({ kind });
    } catch (error) {
      return check.down({ kind, message: (error as Error).message });
    }
  }
}
