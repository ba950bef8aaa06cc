import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Branch, ForkAt, Report } from '@squad/domain';
import type { RecordReportResult } from '@squad/reports';
import { Branches } from './branches.service';

export class CreateBranchCommand extends Command<Branch> {
  constructor(
    readonly name: string,
    readonly forkAt: ForkAt,
  ) {
    super();
  }
}

export class DeleteBranchCommand extends Command<void> {
  constructor(readonly branchId: string) {
    super();
  }
}

/** A report recorded in a what-if branch: the same contract as canonical reports. */
export class RecordBranchReportCommand extends Command<RecordReportResult> {
  constructor(
    readonly branchId: string,
    readonly report: Report,
  ) {
    super();
  }
}

@CommandHandler(CreateBranchCommand)
export class CreateBranchHandler implements ICommandHandler<CreateBranchCommand, Branch> {
  constructor(private readonly branches: Branches) {}
  execute({ name, forkAt }: CreateBranchCommand): Promise<Branch> {
    return this.branches.create(name, forkAt);
  }
}

@CommandHandler(DeleteBranchCommand)
export class DeleteBranchHandler implements ICommandHandler<DeleteBranchCommand, void> {
  constructor(private readonly branches: Branches) {}
  execute({ branchId }: DeleteBranchCommand): Promise<void> {
    return this.branches.delete(branchId);
  }
}

/** Delegates to the branch's ledger: the same read-decide-append-retry loop, on the branch's stream. */
@CommandHandler(RecordBranchReportCommand)
export class RecordBranchReportHandler implements ICommandHandler<RecordBranchReportCommand, RecordReportResult> {
  constructor(private readonly branches: Branches) {}
  async execute({ branchId, report }: RecordBranchReportCommand): Promise<RecordReportResult> {
    return (await this.branches.ledger(branchId)).record(report);
  }
}
