import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Branch, ForkAt } from '@squad/domain';
import { Histories } from '../histories/histories.service';

export class CreateBranchCommand extends Command<Branch> {
  constructor(
    readonly name: string,
    readonly forkAt: ForkAt,
    /** Who asks (see `clientOf`), for the per-client cap. */
    readonly client: string,
  ) {
    super();
  }
}

export class DeleteBranchCommand extends Command<void> {
  constructor(readonly branchId: string) {
    super();
  }
}

/** Both delegate to the branch registry, which decides through the one write loop (`StreamCommandHandler`). */
@CommandHandler(CreateBranchCommand)
export class CreateBranchHandler implements ICommandHandler<CreateBranchCommand, Branch> {
  constructor(private readonly histories: Histories) {}
  execute({ name, forkAt, client }: CreateBranchCommand): Promise<Branch> {
    return this.histories.createBranch(name, forkAt, client);
  }
}

@CommandHandler(DeleteBranchCommand)
export class DeleteBranchHandler implements ICommandHandler<DeleteBranchCommand, void> {
  constructor(private readonly histories: Histories) {}
  execute({ branchId }: DeleteBranchCommand): Promise<void> {
    return this.histories.deleteBranch(branchId);
  }
}
