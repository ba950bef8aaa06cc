/**
 * A command the domain refuses. `kind` says whether the request itself is wrong ('invalid'),
 * clashes with what is already recorded ('conflict') or names something that does not exist
 * ('not-found'); `code` is stable for clients.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly kind: 'invalid' | 'conflict' | 'not-found',
    message: string,
    /** Where in the command, e.g. `claims[2].fromClub`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export type DomainErrorCode =
  | 'REPORT_ID_CONFLICT'
  | 'PLAYER_NOT_AT_CLUB'
  | 'CONTRADICTS_LATER_MOVE'
  | 'PLAYER_ALREADY_AT_CLUB'
  | 'SAME_CLUB_ON_BOTH_SIDES'
  | 'DISPUTE_OF_A_DISPUTE'
  | 'CLUB_IS_ITS_OWN_PARENT'
  | 'MANAGER_NOT_AT_CLUB'
  | 'BRANCH_ID_TAKEN'
  | 'FORK_AHEAD_OF_HISTORY'
  | 'UNKNOWN_BRANCH';
