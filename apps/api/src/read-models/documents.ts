import { outgoingCandidates, readView, squadDepth, squadDepthAndOutgoing, targetList, type ReadSource } from '@squad/projections';
import type { Slug } from '@squad/domain';

/**
 * The club documents as clients receive them, from the REST endpoints, the live stream and
 * replays alike: the query's clocks and the store position they reflect (and the branch read, if
 * any), then the read model. `source` is the canonical read model or a view (a branch's).
 */
export interface DocumentTime {
  readonly asOf: string;
  readonly knownAt?: string;
}

export const CLUB_DOCUMENTS = ['squad-depth', 'targets', 'outgoing'] as const;
export type ClubDocument = (typeof CLUB_DOCUMENTS)[number];

export function envelope(source: ReadSource, time: DocumentTime) {
  const view = readView(source);
  return { asOf: time.asOf, knownAt: time.knownAt ?? null, position: view.position, ...(view.branch ? { branch: view.branch } : {}) };
}

export function squadDepthDocument(model: ReadSource, club: Slug, time: DocumentTime, formation: string) {
  return { ...envelope(model, time), ...squadDepth(model, club, { ...time, formation }) };
}

export function targetsDocument(model: ReadSource, club: Slug, time: DocumentTime) {
  const targets = targetList(model, club, time);
  return { ...envelope(model, time), club, open: targets.filter((t) => t.open).length, targets };
}

export function outgoingDocument(model: ReadSource, club: Slug, time: DocumentTime, formation: string) {
  return { ...envelope(model, time), club, outgoing: outgoingCandidates(model, club, { ...time, formation }) };
}

export function clubDocument(kind: ClubDocument, model: ReadSource, club: Slug, time: DocumentTime, formation: string) {
  switch (kind) {
    case 'squad-depth':
      return squadDepthDocument(model, club, time, formation);
    case 'targets':
      return targetsDocument(model, club, time);
    case 'outgoing':
      return outgoingDocument(model, club, time, formation);
  }
}

/** The three documents of a club at once (the squad is read once for squad depth and outgoing), in `CLUB_DOCUMENTS` order. */
export function clubDocuments(model: ReadSource, club: Slug, time: DocumentTime, formation: string): Record<ClubDocument, object> {
  const { squadDepth: depth, outgoing } = squadDepthAndOutgoing(model, club, { ...time, formation });
  const head = envelope(model, time);
  return {
    'squad-depth': { ...head, ...depth },
    targets: targetsDocument(model, club, time),
    outgoing: { ...head, club, outgoing },
  };
}
