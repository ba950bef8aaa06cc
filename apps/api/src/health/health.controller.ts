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
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../access/public.decorator';
import { Answers } from '../openapi/answers';
import { EventStoreHealthIndicator } from './event-store.health';

/** Health answers keep terminus' own body (what probes and monitors parse), not problem details. */
@Catch(HttpException)
class HealthReportFilter implements ExceptionFilter {
  catch(error: HttpException, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(error.getStatus()).send(error.getResponse());
  }
}

@ApiTags('health')
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
  @ApiOperation({ summary: 'Readiness: the process answers and its event store works (503 otherwise)' })
  @HealthCheck()
  @Answers({
    access: 'public',
    answers: [
      { status: 200, schema: 'Health', description: 'Ready: the event store answers' },
      { status: 503, schema: 'Health', description: 'Not ready: the event store does not answer' },
    ],
  })
  check() {
    return this.health.check([() => this.eventStore.check('eventStore')]);
  }

  /** Liveness only: the process answers HTTP. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers HTTP' })
  @HealthCheck()
  @Answers({
    access: 'public',
    answers: [
      { status: 200, schema: 'Health', description: 'The process answers' },
      { status: 503, schema: 'Health', description: 'Shutting down' },
    ],
  })
  live() {
    return this.health.check([]);
  }
}
