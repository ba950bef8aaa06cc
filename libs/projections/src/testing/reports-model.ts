import type { IsoDate, SourceKind } from '@squad/domain';
import { applyEvent, emptyReadModel, type SquadReadModel, type StoredSquadEvent } from '@squad/projections';

const CANONICAL = 'ledger-main';

/** A report for a unit spec: its day, its source's kind, and claims with their fields. */
export interface TestReport {
  readonly publishedOn: IsoDate;
  readonly approx?: boolean;
  /** `data`: Transfermarkt's record; otherwise Tuttojuve, of this kind when given. */
  readonly kind?: SourceKind;
  /** Each claim with its fields; `effectiveOn` defaults to the publication day. */
  readonly claims: readonly ({ readonly type: string } & Record<string, unknown>)[];
}

/**
 * The canonical read model of `reports` applied in order as stored events (no ledger: the
 * claims are taken as they are), for specs of the queries.
 */
export function modelOf(reports: readonly TestReport[]): SquadReadModel {
  const model = emptyReadModel(CANONICAL);
  let position = 1;
  reports.forEach((report, r) => {
    report.claims.forEach(({ type, ...fields }, claimIndex) => {
      const event: StoredSquadEvent = {
        type,
        data: { effectiveOn: report.publishedOn, ...fields },
        metadata: {
          reportId: `r${r}`,
          source: {
            name: report.kind === 'data' ? 'Transfermarkt' : 'Tuttojuve',
            ...(report.kind ? { kind: report.kind } : {}),
          },
          publishedOn: report.publishedOn,
          publishedOnApprox: report.approx ?? false,
          claimIndex,
          claimCount: report.claims.length,
          reportHash: `hash-r${r}`,
        },
        position: BigInt(position++),
        stream: CANONICAL,
      };
      applyEvent(model, event);
    });
  });
  return model;
}
