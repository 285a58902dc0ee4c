import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Controller, Get, Global, Module, Res } from '@nestjs/common';
import { PrometheusController, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { Public } from '../auth/public.decorator';
import { Metrics } from './metrics';

/** Prometheus's scrape endpoint. Open like the health probes: it shows counts, never data or secrets. */
@ApiTags('operations')
@ApiProduces('text/plain')
@Public()
@Controller()
class MetricsController extends PrometheusController {
  // Overridden only to carry this class's decorators.
  @Get()
  override index(@Res({ passthrough: true }) response: unknown): Promise<string> {
    return super.index(response);
  }
}

@Global()
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, path: '/metrics' })],
  providers: [Metrics],
  exports: [Metrics],
})
export class MetricsModule {}
