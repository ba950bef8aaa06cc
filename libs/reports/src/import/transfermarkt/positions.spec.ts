import { POSITIONS } from '@squad/domain';
import { mapPosition, TRANSFERMARKT_POSITIONS } from './positions';

/** Every `position` label of the 300 files (data/README.md and a count over the files). */
const LABELS_IN_THE_DATA = [
  'Centre-Forward',
  'Centre-Back',
  'Central Midfield',
  'Goalkeeper',
  'Defensive Midfield',
  'Left-Back',
  'Attacking Midfield',
  'Right-Back',
  'Right Winger',
  'Left Winger',
  'midfield',
  'Left Midfield',
  'Right Midfield',
  'attack',
  'Second Striker',
  'defence',
  'Sweeper',
];

describe(mapPosition.name, () => {
  it('maps every label the data set uses to one of our positions', () => {
    for (const label of LABELS_IN_THE_DATA) expect(POSITIONS).toContain(mapPosition(label));
  });

  it('maps only to our positions', () => {
    for (const position of Object.values(TRANSFERMARKT_POSITIONS)) expect(POSITIONS).toContain(position);
  });

  it.each([
    ['Second Striker', 'ST'],
    ['Centre-Forward', 'ST'],
    ['Left Midfield', 'LW'],
    ['Right Midfield', 'RW'],
    ['Sweeper', 'CB'],
    ['defence', 'CB'],
    ['Defender', 'CB'],
    ['midfield', 'CM'],
    ['attack', 'ST'],
    ['Defensive Midfield', 'DM'],
  ])('%s → %s (the documented decisions)', (label, position) => {
    expect(mapPosition(label)).toBe(position);
  });

  it('ignores case and surrounding blanks, and knows nothing else', () => {
    expect(mapPosition(' GOALKEEPER ')).toBe('GK');
    expect(mapPosition('Libero')).toBeUndefined();
    expect(mapPosition('')).toBeUndefined();
    expect(mapPosition(undefined)).toBeUndefined();
  });
});
