import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Report } from '@squad/domain';
import { Ledger, type RecordReportResult } from '@squad/reports';

export class RecordReportCommand extends Command<RecordReportResult> {
  constructor(readonly report: Report) {
    super();
  }
}

/** Delegates to the ledger, the one generic read-decide-append-retry loop. */
@CommandHandler(RecordReportCommand)
export class RecordReportHandler implements ICommandHandler<RecordReportCommand, RecordReportResult> {
  constructor(@Inject(Ledger) private readonly ledger: Ledger) {}

  execute({ report }: RecordReportCommand): Promise<RecordReportResult> {
    return this.ledger.record(report);
  }
}
