import type { Claim, ClaimType } from '@squad/domain';

/**
 * One realistic claim of each type, drawn from the seed facts: shown in the OpenAPI examples and
 * posted by the HTTP tests, so the documentation cannot drift from what the API accepts.
 */
export const CLAIM_EXAMPLES: { readonly [T in ClaimType]: Extract<Claim, { type: T }> } = {
  PlayerRegistered: {
    type: 'PlayerRegistered',
    player: 'leonardo-balerdi',
    name: 'Leonardo Balerdi',
    club: 'marseille',
    position: 'CB',
  },
  InterestDeclared: { type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi', priority: 'top' },
  TalksRequested: { type: 'TalksRequested', club: 'juventus', player: 'leonardo-balerdi', withClub: 'marseille' },
  TalksRefused: {
    type: 'TalksRefused',
    club: 'juventus',
    player: 'leonardo-balerdi',
    byClub: 'marseille',
    reason: 'Marseille will not sell their captain',
  },
  BidSubmitted: {
    type: 'BidSubmitted',
    club: 'juventus',
    player: 'leonardo-balerdi',
    toClub: 'marseille',
    amountEur: 25_000_000,
  },
  BidRejected: {
    type: 'BidRejected',
    club: 'juventus',
    player: 'leonardo-balerdi',
    byClub: 'marseille',
    amountEur: 25_000_000,
  },
  PursuitAbandoned: {
    type: 'PursuitAbandoned',
    club: 'juventus',
    player: 'leonardo-balerdi',
    reason: 'Window closed without a deal',
  },
  InterestRenewalExpected: {
    type: 'InterestRenewalExpected',
    club: 'juventus',
    player: 'leonardo-balerdi',
    expectedFrom: '2026-06-01',
    condition: 'if Tudor stays',
    dependsOnManager: 'Igor Tudor',
  },
  PlayerInjured: {
    type: 'PlayerInjured',
    player: 'gleison-bremer',
    injury: 'ACL',
    expectedReturnOn: '2025-09-01',
    effectiveOn: '2025-06-17',
  },
  PlayerReturnedFromInjury: { type: 'PlayerReturnedFromInjury', player: 'gleison-bremer', effectiveOn: '2025-09-04' },
  LoanReturned: { type: 'LoanReturned', player: 'daniele-rugani', fromClub: 'ajax' },
  LoanDeparted: {
    type: 'LoanDeparted',
    player: 'daniele-rugani',
    toClub: 'ajax',
    until: '2026-06-30',
    optionToBuyEur: 5_000_000,
  },
  OutgoingCandidateFlagged: {
    type: 'OutgoingCandidateFlagged',
    club: 'juventus',
    player: 'lloyd-kelly',
    reason: 'Defence saturated',
  },
  ContractRecorded: {
    type: 'ContractRecorded',
    player: 'leonardo-balerdi',
    club: 'marseille',
    expiresOn: '2028-06-30',
  },
  ContractExtended: {
    type: 'ContractExtended',
    player: 'leonardo-balerdi',
    club: 'marseille',
    expiresOn: '2029-06-30',
  },
  NotForSale: { type: 'NotForSale', club: 'marseille', player: 'leonardo-balerdi', reason: 'no plan to sell' },
  MarketValueReported: { type: 'MarketValueReported', player: 'leonardo-balerdi', valueEur: 20_000_000 },
  ManagerAppointed: { type: 'ManagerAppointed', club: 'juventus', manager: 'Igor Tudor', formation: '3-4-2-1' },
  // after the ManagerAppointed example: Juventus has him
  ManagerDeparted: { type: 'ManagerDeparted', club: 'juventus', manager: 'Igor Tudor', reason: 'sacked' },
  TransferCompleted: {
    type: 'TransferCompleted',
    player: 'leonardo-balerdi',
    fromClub: 'marseille',
    toClub: 'juventus',
    feeEur: 30_000_000,
  },
  // after the TransferCompleted example: he is at Juventus
  PlayerReleased: { type: 'PlayerReleased', player: 'leonardo-balerdi', fromClub: 'juventus', reason: 'released' },
  PlayerRetired: { type: 'PlayerRetired', player: 'gianluigi-buffon', effectiveOn: '2023-08-02' },
  PlayerProfileReported: {
    type: 'PlayerProfileReported',
    player: 'leonardo-balerdi',
    name: 'Leonardo Balerdi',
    position: 'CB',
    nationality: 'Argentina',
    birthDate: '1999-01-26',
    internationalCaps: 12,
    preferredFoot: 'right',
  },
  ClubProfileReported: {
    type: 'ClubProfileReported',
    club: 'juventus-u23',
    name: 'Juventus U23',
    aliases: ['Juventus Next Gen'],
    country: 'Italy',
    parentClub: 'juventus',
  },
  ClaimDisputed: {
    type: 'ClaimDisputed',
    club: 'juventus',
    player: 'leonardo-balerdi',
    disputedType: 'TalksRefused',
    statement: 'Marseille never blocked a sale; they received no suitable offer',
  },
};

/** A whole report body around one example claim. */
export function exampleReport(type: ClaimType, reportId = `example-${type}`) {
  return {
    reportId,
    source: { name: 'Tuttojuve', url: 'https://www.tuttojuve.com/' },
    publishedOn: '2025-06-17',
    publishedOnApprox: false,
    claims: [CLAIM_EXAMPLES[type]],
  };
}
