import { claimDay, type Report } from './claims';

/**
 * The report's content in one canonical JSON text: keys sorted, `effectiveOn` defaulted to
 * `publishedOn` (and `effectiveOnApprox` to false), absent optional fields dropped. Two submissions with the same meaning give the
 * same text, so a retry is recognised even if the client reorders keys. (The reportId is not part
 * of it: it is the key the content is stored under.)
 */
export function canonicalReportContent(report: Report): string {
  return canonicalJson({
    source: report.source,
    publishedOn: report.publishedOn,
    publishedOnApprox: report.publishedOnApprox,
    // absent and empty are the same report (and the same hash as before evidence existed)
    evidence: report.evidence && report.evidence.length > 0 ? report.evidence : undefined,
    claims: report.claims.map((claim) => ({
      ...claim,
      effectiveOn: claimDay(claim, report.publishedOn),
      // `false` is the default: the same report with or without it (a window is approximate)
      effectiveOnApprox:
        claim.effectiveOnApprox === true || claim.effectiveBetween?.to !== undefined ? true : undefined,
    })),
  });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
