import type { IsoDate, Slug } from '@squad/domain';
import { targetList } from '../pursuit/targets.query';
import { outgoingCandidates } from '../squad/outgoing.query';
import { formationFor, squadDepth, squadDepthAndOutgoing } from '../squad/squad-depth.query';
import { clocksOf } from '../views/clocks';
import { readView, type ReadSource } from '../views/read-view';

/**
 * The club documents as clients receive them, from the REST endpoints, the live stream and
 * replays alike: an envelope (the query's clocks, the store position they reflect and the
 * branch read, if any), then the body the read model answers. Live updates and replays compare
 * bodies as values to tell what changed; the envelope differs in every version.
 */
export interface DocumentTime {
  readonly asOf: IsoDate;
  readonly knownAt?: IsoDate;
}

export const CLUB_DOCUMENTS = ['squad-depth', 'targets', 'outgoing'] as const;
export type ClubDocument = (typeof CLUB_DOCUMENTS)[number];

export interface Envelope {
  readonly asOf: IsoDate;
  readonly knownAt: IsoDate | null;
  /** The store position the document reflects (not a football position: those are `position`). */
  readonly storePosition: number;
  readonly branch?: string;
}

export function envelope(source: ReadSource, time: DocumentTime): Envelope {
  const view = readView(source);
  return {
    asOf: time.asOf,
    knownAt: time.knownAt ?? null,
    storePosition: view.position,
    ...(view.branch ? { branch: view.branch } : {}),
  };
}

/** A document on the wire: its envelope, then its body. */
export const withEnvelope = <B extends object>(head: Envelope, body: B): Envelope & B => ({ ...head, ...body });

/** `formation`: the default one, or the client's choice when `formationRequested` (see `formationFor`). */
export function squadDepthBody(
  source: ReadSource,
  club: Slug,
  time: DocumentTime,
  formation: string,
  formationRequested = false,
) {
  return squadDepth(source, club, { ...time, formation, formationRequested });
}

export function targetsBody(source: ReadSource, club: Slug, time: DocumentTime) {
  const targets = targetList(source, club, time);
  return { club, open: targets.filter((t) => t.open).length, targets };
}

export function outgoingBody(
  source: ReadSource,
  club: Slug,
  time: DocumentTime,
  formation: string,
  formationRequested = false,
) {
  const view = readView(source);
  const chosen = formationFor(view, club, clocksOf(time), { formation, formationRequested }).formation;
  return { club, outgoing: outgoingCandidates(view, club, { ...time, formation: chosen }) };
}

export type ClubDocumentBodies = Record<ClubDocument, object>;

/** The bodies of a club's three documents at once (the squad is read once for squad depth and outgoing). */
export function clubDocumentBodies(
  source: ReadSource,
  club: Slug,
  time: DocumentTime,
  formation: string,
  formationRequested = false,
): ClubDocumentBodies {
  const { squadDepth: depth, outgoing } = squadDepthAndOutgoing(source, club, {
    ...time,
    formation,
    formationRequested,
  });
  return {
    'squad-depth': depth,
    targets: targetsBody(source, club, time),
    outgoing: { club, outgoing },
  };
}
