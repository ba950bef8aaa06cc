import type { ProjectedEvent, ReportInfo } from './projected-event';

/** The report a fact came from, as the documents cite it. */
export function reportRef(fact: ProjectedEvent) {
  const { report } = fact;
  return {
    reportId: fact.reportId,
    source: report.source,
    publishedOn: report.publishedOn,
    publishedOnApprox: report.publishedOnApprox,
  };
}

/** A piece of a view that keeps its report, as the documents show it: its fields, then where it was reported. */
export function cited<T extends { readonly report: ReportInfo }>({ report, ...fields }: T) {
  return { ...fields, ...reportedIn(report) };
}

/** Where a piece of a player's view was reported. */
export function reportedIn(report: ReportInfo) {
  return { reportId: report.reportId, source: report.source, publishedOn: report.publishedOn };
}
