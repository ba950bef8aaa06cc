// history: the bitemporal structure every read model files its facts in
export * from './history/calendar';
export * from './history/bitemporal-history';
export * from './history/club-sightings';
// the read model: events routed into histories, the runner that feeds it, its snapshots
export * from './read-model/projected-event';
export * from './read-model/routes';
export * from './read-model/squad-read-model';
export * from './read-model/projection-runner';
export * from './read-model/snapshots';
// how old the news of a fact is, and when it is stale
export * from './staleness/staleness';
// one folder per read model: its evolve, its routing table, its queries
export * from './club/club.projection';
export * from './club/club.query';
export * from './search/name-search';
export * from './player/player.projection';
export * from './player/player-at';
export * from './player/player.query';
export * from './player/player-search';
export * from './pursuit/pursuit.projection';
export * from './pursuit/pursuit-at';
export * from './pursuit/targets.query';
export * from './squad/roster.projection';
export * from './squad/formations';
export * from './squad/squad-at';
export * from './squad/squad-depth.query';
export * from './squad/outgoing.query';
export * from './squad/contracts.query';
// the documents clients receive, and the views queries read (canonical, a branch, a frozen replay)
export * from './documents/club-documents';
export * from './documents/same-document';
// what the news of a span of record time changed in the club documents
export * from './changes/day-news';
export * from './changes/club-changes';
export * from './views/clocks';
export * from './views/read-view';
export * from './views/branch-view';
export * from './views/fork-context';
