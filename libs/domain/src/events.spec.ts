import { upcastClaimRefs, type ClaimRef } from '@squad/domain';

describe('claim references in stored events', () => {
  const current: ClaimRef = {
    reportId: 'tuttojuve-2025-06-17-balerdi',
    claimIndex: 1,
    type: 'TalksRefused',
    source: { name: 'Tuttojuve', url: 'https://www.tuttojuve.com/' },
    publishedOn: '2025-06-17',
  };

  it('reads a source recorded as its name alone (before API version 2) as { name }', () => {
    const old = { ...current, source: 'Tuttojuve' } as unknown as ClaimRef;
    expect(upcastClaimRefs([old, current])).toEqual([{ ...current, source: { name: 'Tuttojuve' } }, current]);
  });

  it('returns references of the current shape as they are, without copying', () => {
    const refs = [current];
    expect(upcastClaimRefs(refs)).toBe(refs);
  });
});
