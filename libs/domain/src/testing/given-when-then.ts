import {
  Claim,
  canonicalReportContent,
  decideRecordReport,
  DomainError,
  LedgerState,
  Report,
  SquadEvent,
} from '@squad/domain';

/** A report with sensible defaults: `report('r1', [claims], { source: 'Tuttojuve' })`. */
export function report(
  reportId: string,
  claims: Claim[],
  overrides: Partial<Omit<Report, 'reportId' | 'claims'>> = {},
): Report {
  return {
    reportId,
    source: { name: 'Tuttojuve' },
    publishedOn: '2025-06-17',
    publishedOnApprox: false,
    claims,
    ...overrides,
  };
}

const command = (r: Report) => ({ report: r, reportHash: canonicalReportContent(r) });

/** The events the decider recorded for `reports`, in order: a history built the real way. */
export function recorded(...reports: Report[]): SquadEvent[] {
  const ledger = new LedgerState();
  return reports.flatMap((r) => {
    const decision = decideRecordReport(command(r), ledger);
    if (decision.outcome !== 'recorded') throw new Error(`given report ${r.reportId} was not recorded`);
    decision.events.forEach((e) => ledger.apply(e));
    return decision.events;
  });
}

/** `given(history).when(report).then(events)` / `.thenAlreadyRecorded()` / `.thenThrows(code)` */
export function given(history: SquadEvent[]) {
  const ledger = new LedgerState();
  history.forEach((e) => ledger.apply(e));
  return {
    when(r: Report) {
      const decide = () => decideRecordReport(command(r), ledger);
      return {
        then(expected: (Partial<SquadEvent> | jest.AsymmetricMatcher)[]) {
          const decision = decide();
          expect(decision.outcome).toBe('recorded');
          if (decision.outcome === 'recorded')
            expect(decision.events).toEqual(expected.map((e) => expect.objectContaining(e)));
          return decision;
        },
        thenAlreadyRecorded() {
          expect(decide()).toEqual({ outcome: 'already-recorded' });
        },
        thenThrows(code: DomainError['code'], field?: string) {
          let error: unknown;
          try {
            decide();
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect(error).toMatchObject({ code, ...(field ? { field } : {}) });
          return error as DomainError;
        },
      };
    },
  };
}
