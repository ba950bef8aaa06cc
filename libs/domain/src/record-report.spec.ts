import { decideRecordReport } from '@squad/domain';
import { given, recorded, report } from './testing/given-when-then';

const bremerAtJuve = report(
  'baseline',
  [
    { type: 'PlayerRegistered', player: 'gleison-bremer', name: 'Gleison Bremer', club: 'juventus', position: 'CB' },
    {
      type: 'PlayerRegistered',
      player: 'leonardo-balerdi',
      name: 'Leonardo Balerdi',
      club: 'marseille',
      position: 'CB',
    },
  ],
  { source: { name: 'Squad Planner baseline' }, publishedOn: '2025-06-01' },
);

describe(decideRecordReport.name, () => {
  it('records every claim as an event with its provenance, defaulting effectiveOn to publishedOn', () => {
    const decision = given([])
      .when(
        report(
          'tuttojuve-2025-06-17',
          [
            { type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi', priority: 'top' },
            { type: 'PlayerInjured', player: 'gleison-bremer', effectiveOn: '2025-06-10' },
          ],
          { source: { name: 'Tuttojuve', url: 'https://www.tuttojuve.com/' } },
        ),
      )
      .then([
        {
          type: 'InterestDeclared',
          data: { club: 'juventus', player: 'leonardo-balerdi', priority: 'top', effectiveOn: '2025-06-17' },
        },
        { type: 'PlayerInjured', data: { player: 'gleison-bremer', effectiveOn: '2025-06-10' } },
      ]);
    expect(decision.outcome === 'recorded' && decision.events[1].metadata).toEqual({
      reportId: 'tuttojuve-2025-06-17',
      source: { name: 'Tuttojuve', url: 'https://www.tuttojuve.com/' },
      publishedOn: '2025-06-17',
      publishedOnApprox: false,
      claimIndex: 1,
      claimCount: 2,
      reportHash: expect.any(String),
    });
  });

  describe('idempotency by report id', () => {
    const first = report('r1', [{ type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi' }]);

    it('recognises the same report again, whatever the key order', () => {
      const reordered = {
        ...first,
        claims: [
          {
            player: 'leonardo-balerdi',
            club: 'juventus',
            type: 'InterestDeclared' as const,
            effectiveOn: '2025-06-17',
          },
        ],
      };
      given(recorded(first)).when(reordered).thenAlreadyRecorded();
    });

    it('refuses the same report id with other content', () => {
      given(recorded(first))
        .when({ ...first, publishedOn: '2025-06-18' })
        .thenThrows('REPORT_ID_CONFLICT', 'reportId');
    });
  });

  describe('invariants on who a player belongs to', () => {
    it('transfers a player from the club he is registered at', () => {
      given(recorded(bremerAtJuve))
        .when(
          report('deal', [
            {
              type: 'TransferCompleted',
              player: 'leonardo-balerdi',
              fromClub: 'marseille',
              toClub: 'juventus',
              feeEur: 30_000_000,
            },
          ]),
        )
        .then([{ type: 'TransferCompleted' }]);
    });

    it('refuses a transfer from a club he is not registered at', () => {
      const error = given(recorded(bremerAtJuve))
        .when(
          report('bad-deal', [
            { type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'ajax', toClub: 'juventus' },
          ]),
        )
        .thenThrows('PLAYER_NOT_AT_CLUB', 'claims[0].fromClub');
      expect(error.message).toContain('registered at marseille');
    });

    it('refuses a transfer of a player nobody registered', () => {
      given([])
        .when(report('r', [{ type: 'TransferCompleted', player: 'nobody', fromClub: 'ajax', toClub: 'juventus' }]))
        .thenThrows('PLAYER_NOT_AT_CLUB');
    });

    it('refuses a bid on a player the club already signed', () => {
      const signed = recorded(
        bremerAtJuve,
        report('deal', [
          { type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'marseille', toClub: 'juventus' },
        ]),
      );
      given(signed)
        .when(
          report('late-bid', [
            {
              type: 'BidSubmitted',
              club: 'juventus',
              player: 'leonardo-balerdi',
              toClub: 'marseille',
              amountEur: 25_000_000,
            },
          ]),
        )
        .thenThrows('PLAYER_ALREADY_AT_CLUB', 'claims[0].club');
    });

    it('applies claims in order inside one report, and refuses the whole report on one bad claim', () => {
      given([])
        .when(
          report('register-and-sell', [
            {
              type: 'PlayerRegistered',
              player: 'daniele-rugani',
              name: 'Daniele Rugani',
              club: 'juventus',
              position: 'CB',
            },
            { type: 'TransferCompleted', player: 'daniele-rugani', fromClub: 'juventus', toClub: 'ajax' },
          ]),
        )
        .then([{ type: 'PlayerRegistered' }, { type: 'TransferCompleted' }]);
      given([])
        .when(
          report('half-bad', [
            {
              type: 'PlayerRegistered',
              player: 'daniele-rugani',
              name: 'Daniele Rugani',
              club: 'juventus',
              position: 'CB',
            },
            { type: 'TransferCompleted', player: 'daniele-rugani', fromClub: 'ajax', toClub: 'juventus' },
          ]),
        )
        .thenThrows('PLAYER_NOT_AT_CLUB', 'claims[1].fromClub');
    });

    it('refuses a claim naming the same club on both sides', () => {
      given([])
        .when(
          report('r', [{ type: 'TalksRequested', club: 'juventus', player: 'leonardo-balerdi', withClub: 'juventus' }]),
        )
        .thenThrows('SAME_CLUB_ON_BOTH_SIDES', 'claims[0].withClub');
    });
  });

  describe('a manager leaves only the club he manages that day', () => {
    const appointed = report('tudor', [
      { type: 'ManagerAppointed', club: 'juventus', manager: 'Igor Tudor', effectiveOn: '2025-03-24' },
    ]);
    const tudor = recorded(appointed);
    const departure = (manager: string, effectiveOn: string, overrides = {}) =>
      report(
        'left',
        [{ type: 'ManagerDeparted', club: 'juventus', manager, reason: 'sacked', effectiveOn }],
        overrides,
      );

    it('records the departure of the manager in charge', () => {
      given(tudor)
        .when(departure('Igor Tudor', '2025-10-27', { publishedOn: '2025-10-27' }))
        .then([{ type: 'ManagerDeparted', data: expect.not.objectContaining({ contradicts: expect.anything() }) }]);
    });

    it('refuses the departure of someone else, of a manager before his appointment, or twice', () => {
      given(tudor).when(departure('Thiago Motta', '2025-10-27')).thenThrows('MANAGER_NOT_AT_CLUB', 'claims[0].manager');
      given(tudor).when(departure('Igor Tudor', '2025-01-01')).thenThrows('MANAGER_NOT_AT_CLUB');
      given([]).when(departure('Igor Tudor', '2025-10-27')).thenThrows('MANAGER_NOT_AT_CLUB');
      const gone = recorded(appointed, departure('Igor Tudor', '2025-10-27', { publishedOn: '2025-10-27' }));
      given(gone)
        .when(report('again', [...departure('Igor Tudor', '2025-11-01').claims]))
        .thenThrows('MANAGER_NOT_AT_CLUB');
    });

    it('takes an appointment and a departure in one report, and flags what a data provider contradicts', () => {
      given([])
        .when(
          report('both', [
            { type: 'ManagerAppointed', club: 'marseille', manager: 'Roberto De Zerbi', effectiveOn: '2024-07-01' },
            { type: 'ManagerDeparted', club: 'marseille', manager: 'Roberto De Zerbi', effectiveOn: '2025-06-30' },
          ]),
        )
        .then([{ type: 'ManagerAppointed' }, { type: 'ManagerDeparted' }]);
      const decision = given(tudor).when(
        departure('Thiago Motta', '2025-10-27', { source: { name: 'Transfermarkt', kind: 'data' } }),
      );
      decision.then([
        {
          type: 'ManagerDeparted',
          data: expect.objectContaining({
            contradicts: [expect.objectContaining({ reportId: 'tudor', type: 'ManagerAppointed' })],
          }),
        },
      ]);
    });
  });

  describe('where a player is, in valid time: the day the claim takes effect, as the read models see it', () => {
    // registered at A (day 1), A→B (day 10), then B→C back-dated to day 5, before A→B
    const atB = recorded(
      report('reg-a', [{ type: 'PlayerRegistered', player: 'p', name: 'P', club: 'ajax', position: 'CB' }], {
        publishedOn: '2025-01-01',
      }),
      report('a-to-b', [{ type: 'TransferCompleted', player: 'p', fromClub: 'ajax', toClub: 'marseille' }], {
        publishedOn: '2025-01-10',
      }),
    );

    it('checks a back-dated transfer against where he was on its own day', () => {
      // on day 5 he was at Ajax, not Marseille
      const error = given(atB)
        .when(
          report(
            'b-to-c-back-dated',
            [
              {
                type: 'TransferCompleted',
                player: 'p',
                fromClub: 'marseille',
                toClub: 'juventus',
                effectiveOn: '2025-01-05',
              },
            ],
            { publishedOn: '2025-02-01' },
          ),
        )
        .thenThrows('PLAYER_NOT_AT_CLUB', 'claims[0].fromClub');
      expect(error.message).toContain('registered at ajax');
    });

    it('checks a later transfer against the latest move in valid time, whatever the record order', () => {
      const backDated = recorded(
        ...[
          report('reg-a', [{ type: 'PlayerRegistered', player: 'p', name: 'P', club: 'ajax', position: 'CB' }], {
            publishedOn: '2025-01-01',
          }),
          report('a-to-b', [{ type: 'TransferCompleted', player: 'p', fromClub: 'ajax', toClub: 'marseille' }], {
            publishedOn: '2025-03-01',
          }),
          // recorded after A→B, but in effect before it (he was still at Ajax on day 20)
          report(
            'loan-back-dated',
            [{ type: 'LoanDeparted', player: 'p', toClub: 'juventus', effectiveOn: '2025-01-20' }],
            { publishedOn: '2025-03-02' },
          ),
        ],
      );
      // on 2025-04-01 he is at Marseille (A→B, in effect from 2025-03-01, is the latest move in valid time)
      given(backDated)
        .when(
          report('b-to-d', [{ type: 'TransferCompleted', player: 'p', fromClub: 'marseille', toClub: 'ajax' }], {
            publishedOn: '2025-04-01',
          }),
        )
        .then([{ type: 'TransferCompleted' }]);
      // and on 2025-02-01 he was still at Ajax
      given(backDated)
        .when(
          report(
            'b-to-d-early',
            [
              {
                type: 'TransferCompleted',
                player: 'p',
                fromClub: 'marseille',
                toClub: 'ajax',
                effectiveOn: '2025-02-01',
              },
            ],
            { publishedOn: '2025-04-01' },
          ),
        )
        .thenThrows('PLAYER_NOT_AT_CLUB');
    });

    it('refuses a back-dated move that breaks a later one, and flags it when a historical record says so', () => {
      // at Ajax from 1 January, Ajax → Marseille on 1 March
      const history = recorded(
        report('reg', [{ type: 'PlayerRegistered', player: 'p', name: 'P', club: 'ajax', position: 'CB' }], {
          publishedOn: '2025-01-01',
        }),
        report('a-to-m', [{ type: 'TransferCompleted', player: 'p', fromClub: 'ajax', toClub: 'marseille' }], {
          publishedOn: '2025-03-01',
        }),
      );
      // Ajax → Juventus on 1 February would make the move of 1 March impossible
      const toJuventus = {
        type: 'TransferCompleted' as const,
        player: 'p',
        fromClub: 'ajax',
        toClub: 'juventus',
        effectiveOn: '2025-02-01',
      };
      const error = given(history)
        .when(report('a-to-j', [toJuventus], { publishedOn: '2025-04-01' }))
        .thenThrows('CONTRADICTS_LATER_MOVE', 'claims[0].effectiveOn');
      expect(error.message).toContain('report a-to-m');
      // a release back-dated before it too
      given(history)
        .when(
          report('released', [{ type: 'PlayerReleased', player: 'p', fromClub: 'ajax', effectiveOn: '2025-02-01' }], {
            publishedOn: '2025-04-01',
          }),
        )
        .thenThrows('CONTRADICTS_LATER_MOVE');
      // a move that leaves him where the later one needs him is fine: a loan-free round trip
      given(history)
        .when(
          report(
            'a-to-j-back',
            [
              toJuventus,
              {
                type: 'TransferCompleted',
                player: 'p',
                fromClub: 'juventus',
                toClub: 'ajax',
                effectiveOn: '2025-02-15',
              },
            ],
            {
              publishedOn: '2025-04-01',
            },
          ),
        )
        .then([{ type: 'TransferCompleted' }, { type: 'TransferCompleted' }]);
      // a data provider's record of it is kept, and names the move it contradicts
      const decision = given(history)
        .when(
          report('tm', [toJuventus], { publishedOn: '2025-04-01', source: { name: 'Transfermarkt', kind: 'data' } }),
        )
        .then([{ type: 'TransferCompleted' }]);
      expect(decision.outcome === 'recorded' && decision.events[0].data.contradicts).toEqual([
        expect.objectContaining({ reportId: 'a-to-m', type: 'TransferCompleted' }),
      ]);
    });

    it('takes a released or retired player out of every club: a later transfer from his old club is refused', () => {
      const released = recorded(
        bremerAtJuve,
        report(
          'released',
          [{ type: 'PlayerReleased', player: 'gleison-bremer', fromClub: 'juventus', reason: 'released' }],
          {
            publishedOn: '2025-07-01',
          },
        ),
      );
      const error = given(released)
        .when(
          report(
            'late-sale',
            [{ type: 'TransferCompleted', player: 'gleison-bremer', fromClub: 'juventus', toClub: 'ajax' }],
            {
              publishedOn: '2025-08-01',
            },
          ),
        )
        .thenThrows('PLAYER_NOT_AT_CLUB');
      expect(error.message).toContain('at no club');
      // a free agent signs by registering at his new club
      given(released)
        .when(
          report(
            'signs',
            [
              {
                type: 'PlayerRegistered',
                player: 'gleison-bremer',
                name: 'Gleison Bremer',
                club: 'ajax',
                position: 'CB',
              },
            ],
            { publishedOn: '2025-08-01' },
          ),
        )
        .then([{ type: 'PlayerRegistered', data: expect.not.objectContaining({ contradicts: expect.anything() }) }]);
    });

    it('refuses a release from a club he is not at, and a retirement from one', () => {
      given(recorded(bremerAtJuve))
        .when(report('r', [{ type: 'PlayerReleased', player: 'gleison-bremer', fromClub: 'ajax' }]))
        .thenThrows('PLAYER_NOT_AT_CLUB', 'claims[0].fromClub');
      given(recorded(bremerAtJuve))
        .when(report('r', [{ type: 'PlayerRetired', player: 'gleison-bremer', fromClub: 'ajax' }]))
        .thenThrows('PLAYER_NOT_AT_CLUB', 'claims[0].fromClub');
      given([])
        .when(report('r', [{ type: 'PlayerRetired', player: 'gianluigi-buffon' }]))
        .then([{ type: 'PlayerRetired' }]);
    });
  });

  describe('a historical record (a data provider) is recorded where it contradicts the store, and flagged', () => {
    const transfermarkt = { source: { name: 'Transfermarkt', kind: 'data' as const }, publishedOn: '2025-07-01' };

    it('records a move from a club the player is not at, citing the registration it contradicts', () => {
      const decision = given(recorded(bremerAtJuve))
        .when(
          report(
            'tm-move',
            [
              {
                type: 'TransferCompleted',
                player: 'leonardo-balerdi',
                fromClub: 'borussia-dortmund',
                toClub: 'juventus',
              },
            ],
            transfermarkt,
          ),
        )
        .then([{ type: 'TransferCompleted' }]);
      expect(decision.outcome === 'recorded' && decision.events[0].data.contradicts).toEqual([
        expect.objectContaining({ reportId: 'baseline', claimIndex: 1, type: 'PlayerRegistered' }),
      ]);
    });

    it('records the first move known of a player nobody registered, with nothing to contradict', () => {
      const decision = given([])
        .when(
          report(
            'tm-first',
            [
              { type: 'PlayerProfileReported', player: 'cristiano-ronaldo', name: 'Cristiano Ronaldo', position: 'ST' },
              {
                type: 'TransferCompleted',
                player: 'cristiano-ronaldo',
                fromClub: 'real-madrid',
                toClub: 'juventus',
                effectiveOn: '2018-07-01',
                effectiveOnApprox: true,
              },
            ],
            transfermarkt,
          ),
        )
        .then([
          { type: 'PlayerProfileReported' },
          { type: 'TransferCompleted', data: expect.objectContaining({ effectiveOnApprox: true }) },
        ]);
      expect(decision.outcome === 'recorded' && decision.events[1].data.contradicts).toBeUndefined();
    });

    it('is still refused for what no record may break: the same club on both sides', () => {
      given([])
        .when(
          report(
            'tm-bad',
            [{ type: 'TransferCompleted', player: 'p', fromClub: 'ajax', toClub: 'ajax' }],
            transfermarkt,
          ),
        )
        .thenThrows('SAME_CLUB_ON_BOTH_SIDES');
    });
  });

  describe('contradictions are recorded and flagged, never refused', () => {
    const refused = (id: string, source: string, publishedOn: string) =>
      report(id, [{ type: 'TalksRefused', club: 'juventus', player: 'leonardo-balerdi', byClub: 'marseille' }], {
        source: { name: source },
        publishedOn,
      });
    const dispute = report(
      'tribune-2025-09-04',
      [
        {
          type: 'ClaimDisputed',
          club: 'juventus',
          player: 'leonardo-balerdi',
          disputedType: 'TalksRefused',
          statement: 'Marseille never blocked a sale',
        },
      ],
      { source: { name: 'La Tribune Olympienne' }, publishedOn: '2025-09-04' },
    );

    it('links a dispute to every earlier claim it contradicts', () => {
      given(recorded(refused('tuttojuve', 'Tuttojuve', '2025-06-17'), refused('tmw', 'Tuttomercatoweb', '2025-07-06')))
        .when(dispute)
        .then([
          {
            type: 'ClaimDisputed',
            data: expect.objectContaining({
              contradicts: [
                {
                  reportId: 'tuttojuve',
                  claimIndex: 0,
                  type: 'TalksRefused',
                  source: { name: 'Tuttojuve' },
                  publishedOn: '2025-06-17',
                },
                {
                  reportId: 'tmw',
                  claimIndex: 0,
                  type: 'TalksRefused',
                  source: { name: 'Tuttomercatoweb' },
                  publishedOn: '2025-07-06',
                },
              ],
            }),
          },
        ]);
    });

    it('flags a later claim that an earlier dispute contradicts', () => {
      given(recorded(dispute))
        .when(refused('late', 'Tuttosport', '2025-09-10'))
        .then([
          {
            type: 'TalksRefused',
            data: expect.objectContaining({
              contradicts: [expect.objectContaining({ reportId: 'tribune-2025-09-04' })],
            }),
          },
        ]);
    });

    it('flags a registration at a club other than the known one', () => {
      given(recorded(bremerAtJuve))
        .when(
          report(
            'other',
            [{ type: 'PlayerRegistered', player: 'gleison-bremer', name: 'Bremer', club: 'inter', position: 'CB' }],
            { source: { name: 'Rumour' } },
          ),
        )
        .then([
          {
            type: 'PlayerRegistered',
            data: expect.objectContaining({ contradicts: [expect.objectContaining({ reportId: 'baseline' })] }),
          },
        ]);
    });

    it('does not flag claims without a dispute', () => {
      const decision = given(recorded(refused('a', 'Tuttojuve', '2025-06-17')))
        .when(refused('b', 'Football Italia', '2025-06-25'))
        .then([{ type: 'TalksRefused' }]);
      expect(decision.outcome === 'recorded' && decision.events[0].data).not.toHaveProperty('contradicts');
    });
  });
});
