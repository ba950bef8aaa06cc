import type { IsoDate, Priority, Slug } from '@squad/domain';
import type { ProjectedEvent } from './projected-event';

/** How far a club's pursuit of a player went. */
export const STAGES = ['monitoring', 'interest', 'talks-requested', 'talks-refused', 'negotiating', 'bid', 'agreed', 'signed', 'abandoned'] as const;
export type Stage = (typeof STAGES)[number] | 'none';

const RANK: Record<Stage, number> = {
  none: 0,
  monitoring: 1,
  interest: 2,
  'talks-requested': 3,
  'talks-refused': 4,
  negotiating: 4,
  bid: 5,
  agreed: 6,
  signed: 7,
  abandoned: 7,
};

export const isOpen = (stage: Stage) => stage !== 'none' && stage !== 'signed' && stage !== 'abandoned';

/** One club's pursuit of one player on one valid day. */
export interface PursuitView {
  readonly club: Slug;
  readonly player: Slug;
  readonly stage: Stage;
  readonly priority?: Priority;
  readonly since?: IsoDate;
  /** Valid day of the latest fact about this pursuit. */
  readonly lastNewsOn?: IsoDate;
  readonly renewalExpectedFrom?: IsoDate;
  readonly lastBid?: { readonly amountEur: number; readonly on: IsoDate; readonly rejected: boolean };
}

export const initialPursuitView = (club: Slug, player: Slug) => (): PursuitView => ({ club, player, stage: 'none' });

/** `juventus/leonardo-balerdi`: the pursuit an event updates (a transfer completes the buyer's). */
export function pursuitKeyOf(event: ProjectedEvent): { club: Slug; player: Slug } | undefined {
  const club = pursuitClubOf(event);
  return club === undefined ? undefined : { club, player: (event.data as { player: Slug }).player };
}

/** The club of the pursuit an event updates (the player is the event's), without allocating a key. */
export function pursuitClubOf(event: ProjectedEvent): Slug | undefined {
  if (event.type === 'TransferCompleted') return event.data.toClub;
  // these name a club and a player without being about a pursuit
  if (event.type === 'OutgoingCandidateFlagged' || event.type === 'PlayerRegistered' || event.type === 'ContractRecorded') return undefined;
  const data = event.data as { club?: Slug; player?: Slug };
  return data.club && data.player ? data.club : undefined;
}

/** Stages only move forward within a pursuit; interest after an end starts a new pursuit. */
function advance(view: PursuitView, stage: Stage, on: IsoDate): PursuitView {
  if (!isOpen(view.stage)) return { club: view.club, player: view.player, stage, since: on, lastNewsOn: view.lastNewsOn };
  return RANK[stage] > RANK[view.stage] ? { ...view, stage } : view;
}

export function evolvePursuitView(view: PursuitView, event: ProjectedEvent): PursuitView {
  const next = evolveStage(view, event);
  return next.lastNewsOn === event.data.effectiveOn ? next : { ...next, lastNewsOn: event.data.effectiveOn };
}

function evolveStage(view: PursuitView, event: ProjectedEvent): PursuitView {
  const on = event.data.effectiveOn;
  switch (event.type) {
    case 'InterestDeclared': {
      const stage = event.data.priority === 'low' ? 'monitoring' : 'interest';
      const next = advance(view, stage, on);
      return event.data.priority ? { ...next, priority: event.data.priority } : next;
    }
    case 'TalksRequested':
      return advance(view, 'talks-requested', on);
    case 'TalksRefused':
      return advance(view, 'talks-refused', on);
    case 'BidSubmitted':
      return { ...advance(view, 'bid', on), lastBid: { amountEur: event.data.amountEur, on, rejected: false } };
    case 'BidRejected':
      return view.lastBid ? { ...view, lastBid: { ...view.lastBid, rejected: true } } : view;
    case 'PursuitAbandoned':
      return isOpen(view.stage) ? { ...view, stage: 'abandoned' } : view;
    case 'InterestRenewalExpected':
      return { ...(view.stage === 'none' ? { ...view, stage: 'monitoring' as Stage, since: on } : view), renewalExpectedFrom: event.data.expectedFrom };
    case 'TransferCompleted':
      // signing straight after an ended pursuit (or none) is a pursuit of its own
      return isOpen(view.stage) ? { ...view, stage: 'signed' } : { club: view.club, player: view.player, stage: 'signed', since: on };
    case 'ClaimDisputed':
      return view;
    default:
      return view;
  }
}
