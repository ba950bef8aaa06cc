import type { IsoDate, Slug } from './claims';
import { claimRefOf, type ClaimRef, type SquadEvent } from './events';

/**
 * Who managed a club when, as the write side needs it: a departure must name the manager the
 * club has on the departure's day (in valid time, the read models' order: valid day, then
 * publication day, then record order).
 */
export interface ClubStaff {
  /** Appointments and departures in valid-time order. */
  readonly changes: readonly StaffChange[];
}

export interface StaffChange {
  readonly kind: 'appointed' | 'departed';
  readonly manager: string;
  readonly effectiveOn: IsoDate;
  readonly publishedOn: IsoDate;
  readonly by: ClaimRef;
}

export const initialClubStaff = (): ClubStaff => ({ changes: [] });

/** The club whose staff an event changes, if any. */
export function staffClubOf(event: SquadEvent): Slug | undefined {
  return event.type === 'ManagerAppointed' || event.type === 'ManagerDeparted' ? event.data.club : undefined;
}

export function evolveClubStaff(state: ClubStaff, event: SquadEvent): ClubStaff {
  if (event.type !== 'ManagerAppointed' && event.type !== 'ManagerDeparted') return state;
  const change: StaffChange = {
    kind: event.type === 'ManagerAppointed' ? 'appointed' : 'departed',
    manager: event.data.manager,
    effectiveOn: event.data.effectiveOn,
    publishedOn: event.metadata.publishedOn,
    by: claimRefOf(event),
  };
  const changes = [...state.changes];
  let index = changes.length;
  while (index > 0 && takesEffectAfter(changes[index - 1], change)) index--;
  changes.splice(index, 0, change);
  return { changes };
}

const takesEffectAfter = (a: StaffChange, b: StaffChange) =>
  a.effectiveOn !== b.effectiveOn ? a.effectiveOn > b.effectiveOn : a.publishedOn > b.publishedOn;

/** The club's manager on `day` (known by `publishedOn`, the deciding report's day), and the claim that appointed him. */
export function managerOn(
  state: ClubStaff,
  day: IsoDate,
): { readonly manager: string; readonly appointedBy: ClaimRef } | undefined {
  let current: { manager: string; appointedBy: ClaimRef } | undefined;
  for (const change of state.changes) {
    if (change.effectiveOn > day) break;
    if (change.kind === 'appointed') current = { manager: change.manager, appointedBy: change.by };
    else if (current?.manager === change.manager) current = undefined;
  }
  return current;
}
