import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  UseFilters,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../access/public.decorator';
import { EventStoreHealthIndicator } from './event-store.health';

/** Health answers keep terminus' own body (what probes and monitors parse), not problem details. */
@Catch(HttpException)
class HealthReportFilter implements ExceptionFilter {
  catch(error: HttpException, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(error.getStatus()).send(error.getResponse());
  }
}

@Controller('health')
@Public() // probes carry no key
@UseFilters(new HealthReportFilter())
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
  ) {}

  /** Readiness: the process answers and its event store works (503 otherwise). */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.eventStore.check('eventStore')]);
  }

  /** Liveness only: the process answers HTTP. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }
}
