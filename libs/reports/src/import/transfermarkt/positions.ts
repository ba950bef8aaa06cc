import type { Position } from '@squad/domain';

/**
 * Transfermarkt position labels → ours (GK RB CB LB DM CM AM RW LW ST). Keys are compared in
 * lower case, so `Defence` and `defence` are one label.
 *
 * - Sweeper → CB: a centre-back who plays behind the line.
 * - Left Midfield / Right Midfield → LW / RW: we have no wide-midfield position; a wide
 *   midfielder covers the flank the winger covers, not the centre.
 * - Second Striker → ST: a forward, not a playmaker.
 * - The generic labels of the 1990s files (`defence`, `midfield`, `attack`, also
 *   `Defender`/`Midfielder`/`Forward`/`Attacker`) → the central position of their line: CB, CM, ST.
 */
export const TRANSFERMARKT_POSITIONS: Readonly<Record<string, Position>> = {
  goalkeeper: 'GK',
  'right-back': 'RB',
  'centre-back': 'CB',
  'left-back': 'LB',
  sweeper: 'CB',
  'defensive midfield': 'DM',
  'central midfield': 'CM',
  'attacking midfield': 'AM',
  'right midfield': 'RW',
  'left midfield': 'LW',
  'right winger': 'RW',
  'left winger': 'LW',
  'centre-forward': 'ST',
  'second striker': 'ST',
  defence: 'CB',
  defender: 'CB',
  midfield: 'CM',
  midfielder: 'CM',
  attack: 'ST',
  attacker: 'ST',
  forward: 'ST',
};

/** Our position for a Transfermarkt label, or `undefined` when the table does not know it. */
export function mapPosition(label: string | undefined): Position | undefined {
  if (label === undefined) return undefined;
  return TRANSFERMARKT_POSITIONS[label.trim().toLowerCase()];
}
