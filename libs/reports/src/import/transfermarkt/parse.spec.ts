import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { listCsvFiles, parseTransfermarktCsv, parseTransfermarktDirectory, TransfermarktDirectoryError } from './parse';
import { parseAmount } from './row';
import { csv, HEADER } from './testing/fixtures';

const FILE = 'data/2018/serie-a.csv';
const RONALDO =
  'Juventus FC,Cristiano Ronaldo,33,Portugal,Left Winger,LW,100000000.0,Real Madrid,Spain,117000000.0,in,summer,Serie A,2018,False,';

describe(parseAmount.name, () => {
  it.each([
    ['36400000.0', 36400000],
    ['4099999.9999999995', 4100000],
    ['0.0', 0],
    ['free transfer', 0],
    ['€50.00m', 50000000],
    ['€500k', 500000],
    ['€1.2bn', 1200000000],
  ])('%s → %d euros', (cell, euros) => {
    expect(parseAmount(cell)).toEqual({ ok: true, value: euros });
  });

  it.each(['', '?', '-', 'loan', 'Unknown'])('%j is no amount (unknown, never 0)', (cell) => {
    expect(parseAmount(cell)).toEqual({ ok: true, value: undefined });
  });

  it('says when a cell is not an amount at all', () => {
    expect(parseAmount('a lot')).toEqual({ ok: false });
    expect(parseAmount('-5')).toEqual({ ok: false });
  });
});

describe(parseTransfermarktCsv.name, () => {
  it('types the 16 columns of a row and keeps where it was read', async () => {
    const parsed = await parseTransfermarktCsv(csv(RONALDO), FILE);
    expect(parsed.anomalies).toEqual([]);
    expect(parsed.records).toBe(1);
    expect(parsed.rows).toEqual([
      {
        file: FILE,
        line: 2,
        club: 'Juventus FC',
        name: 'Cristiano Ronaldo',
        age: 33,
        nationality: 'Portugal',
        position: 'Left Winger',
        shortPos: 'LW',
        marketValueEur: 100000000,
        dealingClub: 'Real Madrid',
        dealingCountry: 'Spain',
        feeEur: 117000000,
        movement: 'in',
        window: 'summer',
        league: 'Serie A',
        season: 2018,
        isLoan: false,
        loanStatus: undefined,
        raw: RONALDO,
      },
    ]);
  });

  it('reads `31.0` as an age, and empty cells as undefined rather than 0', async () => {
    const parsed = await parseTransfermarktCsv(
      csv(
        '1. FC Köln,Kim Christofte,31.0,Denmark,Left-Back,LB,,Bröndby IF,Denmark,,in,summer,1 Bundesliga,1992,False,',
      ),
      'data/1992/1-bundesliga.csv',
    );
    expect(parsed.rows[0]).toMatchObject({ age: 31, marketValueEur: undefined, feeEur: undefined });
  });

  it('reads a quoted comma as part of one field', async () => {
    const parsed = await parseTransfermarktCsv(
      csv(
        'Torpedo Moscow,Mikhail Solovjev,23,Russia,Centre-Back,CB,,Ilhwa Chunma FC,"Korea, South",,out,summer,Premier Liga,1992,False,',
      ),
      'data/1992/premier-liga.csv',
    );
    expect(parsed.anomalies).toEqual([]);
    expect(parsed.rows[0]).toMatchObject({ dealingCountry: 'Korea, South', feeEur: undefined, movement: 'out' });
  });

  it('rejoins fields shifted by an unquoted comma, and says so', async () => {
    const parsed = await parseTransfermarktCsv(
      csv(
        'Torpedo Moscow,Mikhail Solovjev,23,Russia,Centre-Back,CB,,Ilhwa Chunma FC,Korea, South,,out,summer,Premier Liga,1992,False,',
      ),
      'data/1992/premier-liga.csv',
    );
    expect(parsed.rows[0]).toMatchObject({
      dealingClub: 'Ilhwa Chunma FC',
      dealingCountry: 'Korea, South',
      movement: 'out',
    });
    expect(parsed.anomalies).toEqual([
      expect.objectContaining({
        kind: 'shifted-fields',
        line: 2,
        disposition: 'recorded',
        reason: expect.stringContaining('dealing_country'),
      }),
    ]);
  });

  it('refuses a shifted row no single rejoining explains', async () => {
    // two stray commas in two different text columns: 18 fields, no one repair types cleanly
    const parsed = await parseTransfermarktCsv(
      csv(
        'Torpedo Moscow,Solovjev, Mikhail,23,Russia,Centre-Back,CB,,Ilhwa Chunma FC,Korea, South,,out,summer,Premier Liga,1992,False,',
      ),
      'data/1992/premier-liga.csv',
    );
    expect(parsed.rows).toEqual([]);
    expect(parsed.anomalies).toEqual([expect.objectContaining({ kind: 'shifted-fields', disposition: 'refused' })]);
  });

  it('refuses a row with too few fields and goes on', async () => {
    const parsed = await parseTransfermarktCsv(csv('Juventus FC,Someone,in,summer', RONALDO), FILE);
    expect(parsed.rows.map((row) => row.line)).toEqual([3]);
    expect(parsed.anomalies).toEqual([
      expect.objectContaining({
        kind: 'wrong-column-count',
        line: 2,
        disposition: 'refused',
        reason: expect.stringContaining('4 fields'),
      }),
    ]);
  });

  it('refuses a row whose typed cells are not readable, keeps one whose optional cell is not', async () => {
    const parsed = await parseTransfermarktCsv(
      csv(RONALDO.replace(',in,', ',sideways,'), RONALDO.replace(',33,', ',thirty-three,')),
      FILE,
    );
    expect(parsed.rows.map((row) => [row.line, row.age])).toEqual([[3, undefined]]);
    expect(parsed.anomalies).toEqual([
      expect.objectContaining({
        kind: 'bad-value',
        line: 2,
        disposition: 'refused',
        reason: expect.stringContaining('sideways'),
      }),
      expect.objectContaining({
        kind: 'bad-value',
        line: 3,
        disposition: 'recorded',
        reason: expect.stringContaining('age'),
      }),
    ]);
  });

  it('flags a row that contradicts itself or its file, and records it', async () => {
    const parsed = await parseTransfermarktCsv(
      csv(RONALDO.replace(/False,$/, 'False,free loan'), RONALDO.replace(',2018,', ',2019,')),
      FILE,
    );
    expect(parsed.rows.map((row) => [row.isLoan, row.loanStatus, row.season])).toEqual([
      [true, 'free loan', 2018],
      [false, undefined, 2019],
    ]);
    expect(parsed.anomalies.map((a) => [a.kind, a.line, a.disposition])).toEqual([
      ['inconsistent-row', 2, 'recorded'],
      ['inconsistent-row', 3, 'recorded'],
    ]);
  });

  it('does not read a file of another format, and names the file and line', async () => {
    const parsed = await parseTransfermarktCsv('player,team,fee\nRonaldo,Juventus,117\n', 'data/other.csv');
    expect(parsed.rows).toEqual([]);
    expect(parsed.anomalies).toEqual([
      {
        file: 'data/other.csv',
        line: 1,
        kind: 'not-this-format',
        reason: expect.stringContaining('"player,team,fee"'),
        disposition: 'refused',
      },
    ]);
  });

  it('keeps the rows before a cut at the end of the file and says where it stopped', async () => {
    const text = `${HEADER}\n${RONALDO}\n${RONALDO.replace('Cristiano Ronaldo', 'Someone Else').slice(0, 60)}`;
    const parsed = await parseTransfermarktCsv(text, FILE);
    expect(parsed.rows.map((row) => row.name)).toEqual(['Cristiano Ronaldo']);
    expect(parsed.anomalies).toEqual([
      expect.objectContaining({
        kind: 'truncated-file',
        line: 3,
        disposition: 'refused',
        reason: expect.stringContaining('line 3'),
      }),
    ]);
  });

  it('keeps a complete last row without a final line break', async () => {
    const parsed = await parseTransfermarktCsv(`${HEADER}\n${RONALDO}`, FILE);
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.anomalies).toEqual([]);
  });

  it('treats a quote that never closes as a cut, keeping the rows before it', async () => {
    const text = csv(RONALDO, RONALDO.replace('Real Madrid', '"Real Madrid'), RONALDO);
    const parsed = await parseTransfermarktCsv(text, FILE);
    expect(parsed.rows.map((row) => row.line)).toEqual([2]);
    expect(parsed.anomalies).toEqual([
      expect.objectContaining({ kind: 'truncated-file', line: 3, reason: expect.stringContaining('never closes') }),
    ]);
  });

  it('reads a stream as it reads a string', async () => {
    const text = csv(RONALDO, RONALDO.replace('Cristiano Ronaldo', 'Someone Else'));
    const fromStream = await parseTransfermarktCsv(Readable.from([text.slice(0, 100), text.slice(100)]), FILE);
    expect(fromStream).toEqual(await parseTransfermarktCsv(text, FILE));
  });

  it('reports an empty file', async () => {
    const parsed = await parseTransfermarktCsv('', FILE);
    expect(parsed.anomalies).toEqual([expect.objectContaining({ kind: 'not-this-format', line: 1 })]);
  });
});

describe(parseTransfermarktDirectory.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'transfermarkt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every CSV under the directory, in path order, with paths relative to it', async () => {
    await mkdir(join(dir, 'data', '2019'), { recursive: true });
    await mkdir(join(dir, 'data', '2018'), { recursive: true });
    await writeFile(join(dir, 'data', '2019', 'serie-a.csv'), csv(RONALDO.replace(',2018,', ',2019,')));
    await writeFile(join(dir, 'data', '2018', 'serie-a.csv'), csv(RONALDO));
    await writeFile(join(dir, 'README.md'), '# not a CSV');
    const files = await parseTransfermarktDirectory(dir);
    expect(files.map((f) => [f.file, f.rows.length])).toEqual([
      ['data/2018/serie-a.csv', 1],
      ['data/2019/serie-a.csv', 1],
    ]);
  });

  it('is a clear error when the directory holds no CSV', async () => {
    await writeFile(join(dir, 'README.md'), '# nothing here');
    await expect(listCsvFiles(dir)).rejects.toThrow(TransfermarktDirectoryError);
    await expect(listCsvFiles(dir)).rejects.toThrow(/no CSV file under/);
  });

  it('is a clear error, naming a file and line, when no CSV is of this format', async () => {
    await writeFile(join(dir, 'players.csv'), 'player,team\nRonaldo,Juventus\n');
    await expect(parseTransfermarktDirectory(dir)).rejects.toThrow(/none of the 1 CSV files .*players\.csv, line 1/);
  });

  it('reads the good files of a directory and lists a foreign one as an anomaly', async () => {
    await writeFile(join(dir, 'players.csv'), 'player,team\nRonaldo,Juventus\n');
    await writeFile(join(dir, 'serie-a.csv'), csv(RONALDO));
    const files = await parseTransfermarktDirectory(dir);
    expect(files.map((f) => [f.file, f.rows.length, f.anomalies.map((a) => a.kind)])).toEqual([
      ['players.csv', 0, ['not-this-format']],
      ['serie-a.csv', 1, []],
    ]);
  });

  it('is a clear error when the directory does not exist', async () => {
    await expect(listCsvFiles(join(dir, 'missing'))).rejects.toThrow(/cannot read the Transfermarkt directory/);
  });
});
