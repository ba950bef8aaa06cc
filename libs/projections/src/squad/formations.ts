import type { Position } from '@squad/domain';

/**
 * How many players a squad wants per position for a formation: the starters plus cover.
 * The verdict per position compares the squad against this need.
 */
export const FORMATIONS: Record<string, Record<Position, number>> = {
  '4-3-3': { GK: 3, RB: 2, CB: 4, LB: 2, DM: 2, CM: 4, AM: 1, RW: 2, LW: 2, ST: 3 },
  '4-2-3-1': { GK: 3, RB: 2, CB: 4, LB: 2, DM: 3, CM: 2, AM: 3, RW: 2, LW: 2, ST: 2 },
  '3-4-2-1': { GK: 3, RB: 2, CB: 5, LB: 2, DM: 2, CM: 3, AM: 3, RW: 1, LW: 1, ST: 3 },
  '3-5-2': { GK: 3, RB: 2, CB: 5, LB: 2, DM: 2, CM: 4, AM: 1, RW: 0, LW: 0, ST: 4 },
};
export const DEFAULT_FORMATION = '4-3-3';

/** Position groups: the lines of the team. */
export const POSITION_GROUPS = {
  goalkeepers: ['GK'],
  defenders: ['RB', 'CB', 'LB'],
  midfielders: ['DM', 'CM', 'AM'],
  forwards: ['RW', 'LW', 'ST'],
} as const satisfies Record<string, readonly Position[]>;

export type Verdict = 'short' | 'balanced' | 'saturated';

/**
 * Short when fewer players are available than needed; saturated when the squad (everyone not
 * away on loan, injured included) already exceeds the need; balanced otherwise.
 */
export function verdict(need: number, squad: number, available: number): Verdict {
  if (available < need) return 'short';
  if (squad > need) return 'saturated';
  return 'balanced';
}
