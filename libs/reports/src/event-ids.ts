import { createHash } from 'node:crypto';
import { BRANCHES_STREAM } from '@squad/domain';

/**
 * A name-based UUID (version 8 layout) from the parts that identify an event: the same event
 * decided again (a client's retry, a writer that lost a race) carries the same id, so the store
 * recognises the retry instead of writing it twice.
 */
export function nameBasedUuid(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The id of one claim's event: its ledger stream, the report's id and content hash, the claim's index. */
export function eventId(stream: string, reportId: string, reportHash: string, claimIndex: number): string {
  return nameBasedUuid(stream, reportId, reportHash, String(claimIndex));
}

/** The id of a branch registry event: the branch and what happened to it (each happens once). */
export function branchEventId(branchId: string, type: string): string {
  return nameBasedUuid(BRANCHES_STREAM, branchId, type);
}
