import { isSlug, MAX_SLUG_LENGTH } from '@squad/domain';
import { mapHistory, selectHistory } from './map-history';
import { effectiveOn } from './moves';
import { csv, historyOf, parseFixtures, type FixtureRow } from './testing/fixtures';
import { ANOMALY_KINDS, type HistoricalMove, type TransfermarktHistory } from './types';

const SERIE_A = 'data/2018/serie-a.csv';
const LALIGA = 'data/2018/laliga.csv';
const LIGUE_1 = 'data/2018/ligue-1.csv';

const of = (history: TransfermarktHistory, player: string): HistoricalMove[] =>
  history.moves.filter((m) => m.player === player);
const brief = (m: HistoricalMove) => [m.kind, m.fromClub, m.toClub, m.feeEur];
const kinds = (history: TransfermarktHistory, kind: string) => history.anomalies.filter((a) => a.kind === kind);

describe(mapHistory.name, () => {
  describe('one move, two rows', () => {
    it("merges the buyer's in row and the seller's out row into one move citing both", async () => {
      const history = await historyOf({
        [SERIE_A]: [
          {
            club: 'Juventus FC',
            name: 'Cristiano Ronaldo',
            movement: 'in',
            dealing: 'Real Madrid',
            fee: '117000000.0',
            marketValue: '100000000.0',
          },
        ],
        [LALIGA]: [
          { club: 'Real Madrid', name: 'Cristiano Ronaldo', movement: 'out', dealing: 'Juventus', fee: '117000000.0' },
        ],
      });
      expect(history.moves).toEqual([
        {
          moveId: expect.stringMatching(/^tm-2018-summer-cristiano-ronaldo-[0-9a-f]{12}$/),
          player: 'cristiano-ronaldo',
          season: 2018,
          window: 'summer',
          effectiveOn: '2018-07-01',
          kind: 'transfer',
          fromClub: 'real-madrid',
          toClub: 'juventus',
          feeEur: 117000000,
          marketValueEur: 100000000,
          evidence: [
            { file: SERIE_A, line: 2 },
            { file: LALIGA, line: 2 },
          ],
          singleSided: false,
          fromNowhere: true, // his first row in the data
        },
      ]);
      expect(history.pairsMerged).toBe(1);
      expect(history.rowsRead).toBe(2);
    });

    it('keeps a move seen from one side only, single-sided', async () => {
      const history = await historyOf({
        'data/2018/1-bundesliga.csv': [
          {
            club: 'Borussia Dortmund',
            name: 'Leonardo Balerdi',
            movement: 'in',
            dealing: 'Boca Juniors',
            fee: '15500000.0',
            window: 'winter',
          },
        ],
      });
      expect(history.moves).toEqual([
        expect.objectContaining({
          kind: 'transfer',
          fromClub: 'boca-juniors',
          toClub: 'borussia-dortmund',
          window: 'winter',
          effectiveOn: '2019-01-02',
          singleSided: true,
          evidence: [{ file: 'data/2018/1-bundesliga.csv', line: 2 }],
        }),
      ]);
      expect(history.pairsMerged).toBe(0);
    });

    it("keeps the buyer's fee when the two rows disagree, and says so", async () => {
      const history = await historyOf({
        [SERIE_A]: [{ club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Real Madrid', fee: '10000000.0' }],
        [LALIGA]: [{ club: 'Real Madrid', name: 'A One', movement: 'out', dealing: 'Juventus', fee: '12000000.0' }],
      });
      expect(history.moves.map(brief)).toEqual([['transfer', 'real-madrid', 'juventus', 10000000]]);
      expect(kinds(history, 'conflicting-pair')).toEqual([
        expect.objectContaining({
          file: SERIE_A,
          line: 2,
          disposition: 'recorded',
          reason: expect.stringContaining('12000000'),
        }),
      ]);
    });

    it('takes the fee from the row that knows it', async () => {
      const history = await historyOf({
        [SERIE_A]: [{ club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Real Madrid', fee: '' }],
        [LALIGA]: [{ club: 'Real Madrid', name: 'A One', movement: 'out', dealing: 'Juventus', fee: '5000000.0' }],
      });
      expect(history.moves.map(brief)).toEqual([['transfer', 'real-madrid', 'juventus', 5000000]]);
      expect(kinds(history, 'unknown-fee')).toEqual([]);
    });
  });

  describe('kinds of move', () => {
    const rows: FixtureRow[] = [
      { club: 'Juventus FC', name: 'Free One', movement: 'in', dealing: 'Paris SG', fee: '0.0' },
      { club: 'Juventus FC', name: 'Unknown Fee', movement: 'in', dealing: 'Sassuolo', fee: '' },
      { club: 'Juventus FC', name: 'Free Loan', movement: 'out', dealing: 'Empoli', fee: '0.0', loan: 'free loan' },
      {
        club: 'Juventus FC',
        name: 'Paid Loan',
        movement: 'out',
        dealing: 'Cagliari',
        fee: '800000.0',
        loan: 'loan with fee',
      },
      { club: 'Juventus FC', name: 'Loan Back', movement: 'out', dealing: 'Torino', fee: '0.0', loan: 'end of loan' },
      { club: 'Juventus FC', name: 'Gone Free', movement: 'out', dealing: 'Without Club', fee: '' },
      { club: 'Juventus FC', name: 'Free Agent', movement: 'in', dealing: 'Without Club', fee: '' },
      { club: 'Juventus FC', name: 'Old Man', movement: 'out', dealing: 'Retired' },
      { club: 'Juventus FC', name: 'Pause', movement: 'out', dealing: 'Career break' },
      { club: 'Juventus FC', name: 'Banned', movement: 'out', dealing: 'Ban' },
      { club: 'Juventus FC', name: 'Somewhere', movement: 'out', dealing: 'Unknown', fee: '0.0' },
      { club: 'Juventus FC', name: 'Nowhere', movement: 'out', dealing: '' },
      { club: 'Juventus FC', name: 'From Somewhere', movement: 'in', dealing: 'Unknown' },
      { club: 'Juventus FC', name: 'Back Again', movement: 'in', dealing: 'Retired' },
      { club: 'Juventus FC', name: 'Home Grown', movement: 'in', dealing: 'Own Youth' },
    ];
    let history: TransfermarktHistory;
    beforeAll(async () => {
      history = await historyOf({ [SERIE_A]: rows });
    });
    it.each([
      ['free-one', 'transfer', 'paris-saint-germain', 'juventus', 0],
      ['unknown-fee', 'transfer', 'sassuolo', 'juventus', undefined],
      ['free-loan', 'loan', 'juventus', 'empoli', 0],
      ['paid-loan', 'loan', 'juventus', 'cagliari', 800000],
      ['loan-back', 'end-of-loan', 'juventus', 'torino', undefined],
      ['gone-free', 'released', 'juventus', undefined, undefined],
      ['free-agent', 'free-agent-signing', undefined, 'juventus', 0],
      ['old-man', 'retired', 'juventus', undefined, undefined],
      ['pause', 'career-break', 'juventus', undefined, undefined],
      ['banned', 'ban', 'juventus', undefined, undefined],
      ['somewhere', 'unknown-destination', 'juventus', undefined, 0],
      ['nowhere', 'unknown-destination', 'juventus', undefined, undefined],
      ['from-somewhere', 'unknown-origin', undefined, 'juventus', undefined],
      ['back-again', 'comeback', undefined, 'juventus', undefined],
      ['home-grown', 'youth-promotion', undefined, 'juventus', undefined],
    ])('%s: %s %s → %s, fee %s', (player, kind, from, to, fee) => {
      expect(of(history, player).map(brief)).toEqual([[kind, from, to, fee]]);
    });

    it('flags an unknown fee of a transfer (never 0), and only there', async () => {
      expect(kinds(history, 'unknown-fee')).toEqual([
        expect.objectContaining({ file: SERIE_A, line: 3, disposition: 'recorded' }),
      ]);
      const paidLoanWithoutFee = await historyOf({
        [SERIE_A]: [
          { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Cagliari', fee: '', loan: 'loan with fee' },
        ],
      });
      expect(kinds(paidLoanWithoutFee, 'unknown-fee')).toHaveLength(1);
    });

    it('dates a summer move 1 July of the season and a winter move 2 January of the next year', () => {
      expect(effectiveOn(2018, 'summer')).toBe('2018-07-01');
      expect(effectiveOn(2018, 'winter')).toBe('2019-01-02');
    });

    it('turns a loan into a permanent move when the borrower buys the player', async () => {
      const later = await historyOf({
        'data/2019/serie-a.csv': [
          { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Genoa', fee: '0.0', loan: 'free loan' },
          { club: 'Genoa CFC', name: 'A One', movement: 'in', dealing: 'Juventus', fee: '0.0', loan: 'free loan' },
        ],
        'data/2020/serie-a.csv': [
          { club: 'Genoa CFC', name: 'A One', movement: 'in', dealing: 'Juventus', fee: '3000000.0' },
          { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Genoa', fee: '3000000.0' },
        ],
      });
      expect(of(later, 'a-one').map(brief)).toEqual([
        ['loan', 'juventus', 'genoa', 0],
        ['loan-made-permanent', 'juventus', 'genoa', 3000000],
      ]);
      // Transfermarkt's other way to write it: the loan ends and the borrower buys him, one window
      const sameWindow = await historyOf({
        'data/2019/serie-a.csv': [
          { club: 'Genoa CFC', name: 'A One', movement: 'in', dealing: 'Juventus', fee: '0.0', loan: 'free loan' },
        ],
        'data/2020/serie-a.csv': [
          { club: 'Genoa CFC', name: 'A One', movement: 'in', dealing: 'Juventus', fee: '3000000.0' },
          { club: 'Genoa CFC', name: 'A One', movement: 'out', dealing: 'Juventus', fee: '0.0', loan: 'end of loan' },
        ],
      });
      expect(of(sameWindow, 'a-one').map(brief)).toEqual([
        ['loan', 'juventus', 'genoa', 0],
        ['end-of-loan', 'genoa', 'juventus', undefined],
        ['loan-made-permanent', 'juventus', 'genoa', 3000000],
      ]);
      expect(kinds(sameWindow, 'not-at-club')).toEqual([]);
    });

    it('keeps a plain transfer a transfer when no loan came before', async () => {
      const history = await historyOf({
        'data/2020/serie-a.csv': [
          { club: 'Genoa CFC', name: 'A One', movement: 'in', dealing: 'Juventus', fee: '3000000.0' },
        ],
      });
      expect(of(history, 'a-one').map((m) => m.kind)).toEqual(['transfer']);
    });
  });

  describe('order within a window', () => {
    const loanedOut: FixtureRow[] = [
      { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Empoli', fee: '0.0', loan: 'free loan' },
      { club: 'FC Empoli', name: 'A One', movement: 'in', dealing: 'Juventus', fee: '0.0', loan: 'free loan' },
    ];

    it('ends his loan before he is sold, whatever the file order', async () => {
      const history = await historyOf({
        'data/2017/serie-a.csv': loanedOut,
        'data/2018/serie-a.csv': [
          // the sale comes first in the files (Inter, then Juventus, before Empoli)
          { club: 'FC Internazionale', name: 'A One', movement: 'in', dealing: 'Juventus', fee: '9000000.0' },
          { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Inter', fee: '9000000.0' },
          { club: 'FC Empoli', name: 'A One', movement: 'out', dealing: 'Juventus', fee: '0.0', loan: 'end of loan' },
        ],
      });
      expect(of(history, 'a-one').map(brief)).toEqual([
        ['loan', 'juventus', 'empoli', 0],
        ['end-of-loan', 'empoli', 'juventus', undefined],
        ['transfer', 'juventus', 'inter', 9000000],
      ]);
      expect(kinds(history, 'not-at-club')).toEqual([]);
    });

    it('ends one loan before the next begins', async () => {
      const history = await historyOf({
        'data/2017/serie-a.csv': loanedOut,
        'data/2018/serie-a.csv': [
          { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Genoa', fee: '0.0', loan: 'free loan' },
          { club: 'FC Empoli', name: 'A One', movement: 'out', dealing: 'Juventus', fee: '0.0', loan: 'end of loan' },
        ],
      });
      expect(of(history, 'a-one').map((m) => m.kind)).toEqual(['loan', 'end-of-loan', 'loan']);
      expect(of(history, 'a-one')[2]).toMatchObject({ fromClub: 'juventus', toClub: 'genoa' });
    });

    it('chains moves whose start is unknown: he arrives before he leaves', async () => {
      const history = await historyOf({
        [SERIE_A]: [
          { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Empoli', fee: '0.0', loan: 'free loan' },
          { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Santos', fee: '2000000.0' },
        ],
      });
      expect(of(history, 'a-one').map(brief)).toEqual([
        ['transfer', 'santos', 'juventus', 2000000],
        ['loan', 'juventus', 'empoli', 0],
      ]);
    });

    it('records moves by season, window, then player', async () => {
      const history = await historyOf({
        'data/2019/serie-a.csv': [{ club: 'Juventus FC', name: 'B Two', movement: 'in', dealing: 'X', fee: '0.0' }],
        'data/2018/serie-a.csv': [
          { club: 'Juventus FC', name: 'C Three', movement: 'in', dealing: 'X', fee: '0.0', window: 'winter' },
          { club: 'Juventus FC', name: 'B Two', movement: 'in', dealing: 'Y', fee: '0.0' },
          { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'X', fee: '0.0' },
        ],
      });
      expect(history.moves.map((m) => `${m.season} ${m.window} ${m.player}`)).toEqual([
        '2018 summer a-one',
        '2018 summer b-two',
        '2018 winter c-three',
        '2019 summer b-two',
      ]);
    });
  });

  describe('anomalies', () => {
    it('flags a move from a club the player is not at, while that club lists its departures', async () => {
      const history = await historyOf({
        'data/2017/serie-a.csv': [
          { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Santos', fee: '0.0' },
          { club: 'Genoa CFC', name: 'Someone Else', movement: 'in', dealing: 'Santos', fee: '0.0' },
        ],
        'data/2018/serie-a.csv': [
          { club: 'Genoa CFC', name: 'A One', movement: 'in', dealing: 'Lecce', fee: '0.0' },
          { club: 'Juventus FC', name: 'Third Man', movement: 'in', dealing: 'Santos', fee: '0.0' },
        ],
      });
      expect(kinds(history, 'not-at-club')).toEqual([
        {
          file: 'data/2018/serie-a.csv',
          line: 2,
          kind: 'not-at-club',
          reason: expect.stringMatching(/a transfer from lecce, .*left him at juventus/),
          disposition: 'recorded',
        },
      ]);
      expect(of(history, 'a-one')).toHaveLength(2);
    });

    it('does not flag a gap when his club had no transfer list of its own (another league)', async () => {
      const history = await historyOf({
        'data/2017/serie-a.csv': [
          { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Santos', fee: '0.0' },
        ],
        'data/2018/serie-a.csv': [
          { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Flamengo', fee: '0.0' },
        ],
      });
      expect(kinds(history, 'not-at-club')).toEqual([]);
    });

    it('refuses the repeat of a duplicated row', async () => {
      const row: FixtureRow = { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Santos', fee: '0.0' };
      const history = await historyOf({ [SERIE_A]: [row, row] });
      expect(history.moves).toHaveLength(1);
      expect(kinds(history, 'duplicate-row')).toEqual([
        expect.objectContaining({ line: 3, disposition: 'refused', reason: expect.stringContaining('line 2') }),
      ]);
    });

    it('refuses a row whose club and dealing club are one club', async () => {
      const history = await historyOf({
        [SERIE_A]: [{ club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Juventus' }],
      });
      expect(history.moves).toEqual([]);
      expect(kinds(history, 'self-move')).toEqual([expect.objectContaining({ line: 2, disposition: 'refused' })]);
    });

    it('reads a loan to a status as that status, and says so', async () => {
      const history = await historyOf({
        [SERIE_A]: [
          {
            club: 'Juventus FC',
            name: 'A One',
            movement: 'out',
            dealing: 'Without Club',
            fee: '0.0',
            loan: 'free loan',
          },
        ],
      });
      expect(history.moves.map(brief)).toEqual([['released', 'juventus', undefined, undefined]]);
      expect(kinds(history, 'inconsistent-row')).toHaveLength(1);
    });

    it('keeps going past every bad row, listing each with file, line, kind and disposition', async () => {
      const good = (name: string) =>
        `Juventus FC,${name},25,Italy,Centre-Back,CB,,Santos,Brazil,0.0,in,summer,Serie A,2018,False,`;
      const files = await parseFixtures({
        [SERIE_A]: csv(
          good('A One'),
          'Juventus FC,B Two,in',
          good('C Three'),
          good('D Four').replace(',in,', ',sideways,'),
        ),
        'data/notes.csv': 'a,b\n1,2\n',
      });
      const history = mapHistory(files);
      expect(history.moves.map((m) => m.player)).toEqual(['a-one', 'c-three']);
      expect(history.rowsRead).toBe(4);
      expect(history.anomalies.map((a) => [a.file, a.line, a.kind, a.disposition])).toEqual([
        [SERIE_A, 3, 'wrong-column-count', 'refused'],
        [SERIE_A, 5, 'bad-value', 'refused'],
        ['data/notes.csv', 1, 'not-this-format', 'refused'],
      ]);
    });
  });

  describe('every kind of anomaly', () => {
    it('lists each kind, never stopping', async () => {
      const good = (name: string, extra = '') =>
        `Juventus FC,${name},25,Italy,Centre-Back,CB,,Santos,Brazil,0.0,in,summer,Serie A,2018,False,${extra}`;
      const misfiledRows = ['M1 X', 'M2 X', 'M3 X'];
      const serieA2018 = csv(
        good('A One'),
        'Juventus FC,B Two,in', // wrong-column-count
        good('C Three').replace('Santos,Brazil', 'Ilhwa Chunma,Korea, South'), // shifted-fields
        good('D Four').replace(',in,', ',sideways,'), // bad-value
        good('E Five', 'free loan'), // inconsistent-row (a loan status, is_loan False)
        good('A One'), // duplicate-row
        good('F Six').replace('Santos', 'Juventus'), // self-move
        good('G Seven').replace(',0.0,in,', ',,in,'), // unknown-fee
        good('H Eight').replace('Centre-Back,CB', 'Libero,LI'), // unmapped-position
        good('I Nine').replace(',0.0,in,', ',10000000.0,in,').replace('Santos,Brazil', 'Real Madrid,Spain'), // conflicting-pair
        good('J Ten').slice(0, 40), // truncated-file (no line break after it, below)
      ).replace(/\n$/, '');
      const history = await historyOf({
        'data/notes.csv': 'player,team\nRonaldo,Juventus\n', // not-this-format
        'data/2018/serie-a.csv': serieA2018,
        'data/2018/laliga.csv': [
          { club: 'Real Madrid', name: 'I Nine', movement: 'out', dealing: 'Juventus', fee: '12000000.0' },
          ...misfiledRows.map((name): FixtureRow => ({
            club: 'Real Madrid',
            name,
            movement: 'in',
            dealing: 'Juventus',
            fee: '0.0',
          })),
        ],
        // misfiled-club: Juventus' rows filed under Genoa
        'data/2018/ligue-1.csv': misfiledRows.map((name): FixtureRow => ({
          club: 'Genoa CFC',
          name,
          movement: 'out',
          dealing: 'Real Madrid',
          fee: '0.0',
        })),
        // not-at-club: A One signs for Genoa from Lecce while Juventus, covered, shows no departure
        'data/2019/serie-a.csv': [
          { club: 'Genoa CFC', name: 'A One', movement: 'in', dealing: 'Lecce', fee: '0.0', age: 26 },
          { club: 'Juventus FC', name: 'K Eleven', movement: 'in', dealing: 'Lecce', fee: '0.0' },
        ],
        'data/2017/serie-a.csv': [
          { club: 'Genoa CFC', name: 'L Twelve', movement: 'in', dealing: 'Lecce', fee: '0.0' },
        ],
      });
      const seen = new Set(history.anomalies.map((a) => a.kind));
      expect([...ANOMALY_KINDS].filter((kind) => !seen.has(kind))).toEqual([]);
      for (const a of history.anomalies) {
        expect(a.file).toMatch(/\.csv$/);
        expect(a.line).toBeGreaterThan(0);
        expect(a.reason.length).toBeGreaterThan(10);
      }
      expect(history.moves.map((m) => m.player)).toEqual(
        expect.arrayContaining(['a-one', 'c-three', 'e-five', 'g-seven', 'h-eight', 'i-nine', 'm1-x']),
      );
    });

    it("keeps the buyer's kind when the seller's row says otherwise", async () => {
      const history = await historyOf({
        [SERIE_A]: [
          { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Real Madrid', fee: '0.0', loan: 'free loan' },
        ],
        [LALIGA]: [{ club: 'Real Madrid', name: 'A One', movement: 'out', dealing: 'Juventus', fee: '0.0' }],
      });
      expect(history.moves.map(brief)).toEqual([['loan', 'real-madrid', 'juventus', 0]]);
      expect(kinds(history, 'conflicting-pair')).toEqual([
        expect.objectContaining({ reason: expect.stringContaining('the buyer records a loan, the seller a transfer') }),
      ]);
    });
  });

  describe('move ids and filters', () => {
    const files = {
      [SERIE_A]: [
        { club: 'Juventus FC', name: 'Cristiano Ronaldo', movement: 'in', dealing: 'Real Madrid', fee: '117000000.0' },
        { club: 'Juventus FC', name: 'Gianluigi Buffon', movement: 'out', dealing: 'Paris SG', fee: '0.0' },
        { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Empoli', fee: '0.0', loan: 'free loan' },
      ],
      [LALIGA]: [
        { club: 'Real Madrid', name: 'Cristiano Ronaldo', movement: 'out', dealing: 'Juventus', fee: '117000000.0' },
      ],
      [LIGUE_1]: [
        { club: 'Paris Saint-Germain', name: 'Gianluigi Buffon', movement: 'in', dealing: 'Juventus', fee: '0.0' },
      ],
      'data/2019/serie-a.csv': [
        { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Empoli', fee: '1000000.0' },
      ],
    } satisfies Record<string, FixtureRow[]>;

    it('gives each move a slug-safe id of at most 80 characters, the same on every run', async () => {
      const first = await historyOf(files);
      const again = await historyOf(files);
      expect(again.moves.map((m) => m.moveId)).toEqual(first.moves.map((m) => m.moveId));
      expect(new Set(first.moves.map((m) => m.moveId)).size).toBe(first.moves.length);
      for (const { moveId } of first.moves) {
        expect(isSlug(moveId)).toBe(true);
        expect(moveId.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
      }
      const long = await historyOf({
        [SERIE_A]: [
          { club: 'Juventus FC', name: 'Abcdefghij '.repeat(12).trim(), movement: 'in', dealing: 'X', fee: '0.0' },
        ],
      });
      expect(long.moves[0]?.moveId.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
      expect(isSlug(long.moves[0]?.moveId)).toBe(true);
    });

    it('keeps the ids when the club table changes: they hash the rows, not the slugs', async () => {
      const balerdi = {
        [LIGUE_1]: [
          {
            club: 'Olympique Marseille',
            name: 'Leonardo Balerdi',
            movement: 'in',
            dealing: 'Bor. Dortmund',
            fee: '1.0',
          },
        ],
      } satisfies Record<string, FixtureRow[]>;
      const withTable = await historyOf(balerdi);
      const withoutTable = await historyOf(balerdi, { curated: [] });
      expect(withTable.moves.map((m) => [m.fromClub, m.toClub])).toEqual([['borussia-dortmund', 'marseille']]);
      expect(withoutTable.moves.map((m) => [m.fromClub, m.toClub])).toEqual([['bor-dortmund', 'olympique-marseille']]);
      expect(withoutTable.moves[0]?.moveId).toBe(withTable.moves[0]?.moveId);
    });

    it('selects by league and season without changing ids, pairs or slugs', async () => {
      const all = await historyOf(files);
      const serieA2018 = selectHistory(all, { leagues: ['serie-a'], seasons: { from: 2018, to: 2018 } });
      expect(serieA2018.moves.map((m) => m.player)).toEqual(['a-one', 'cristiano-ronaldo', 'gianluigi-buffon']);
      expect(serieA2018.moves).toEqual(all.moves.filter((m) => m.season === 2018));
      expect(serieA2018.pairsMerged).toBe(2);
      expect(serieA2018.rowsRead).toBe(6);
      expect(serieA2018.rowsSelected).toBe(3);
      const ligue1 = await historyOf(files, { filter: { leagues: ['Ligue 1'] } });
      expect(ligue1.moves).toEqual(all.moves.filter((m) => m.player === 'gianluigi-buffon'));
      expect(ligue1.clubs.map((c) => c.slug)).toEqual(['juventus', 'paris-saint-germain']);
      expect(ligue1.players.map((p) => p.slug)).toEqual(['gianluigi-buffon']);
    });
  });
});
