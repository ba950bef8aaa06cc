import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Report } from '@squad/domain';
import type { RecordReportResult } from '@squad/reports';
import { Histories } from './histories.service';

/** Record a report in canonical history, or in a what-if branch (the same contract). */
export class RecordReportCommand extends Command<RecordReportResult> {
  constructor(
    readonly report: Report,
    /** The branch to record it in (undefined: canonical history). */
    readonly branch?: string,
  ) {
    super();
  }
}

/** Delegates to the history's ledger: the one write loop (`StreamCommandHandler`), on its stream. */
@CommandHandler(RecordReportCommand)
export class RecordReportHandler implements ICommandHandler<RecordReportCommand, RecordReportResult> {
  constructor(private readonly histories: Histories) {}

  async execute({ report, branch }: RecordReportCommand): Promise<RecordReportResult> {
    return (await this.histories.ledger(branch)).record(report);
  }
}
