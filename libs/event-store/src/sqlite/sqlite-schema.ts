/**
 * Schema migrations of the embedded store, applied in order and tracked in SQLite's
 * `user_version`. Append new entries; never edit one that has shipped.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  -- position is the rowid: SQLite hands out max(rowid)+1, and since events are never deleted it
  -- is strictly increasing without AUTOINCREMENT's extra bookkeeping write.
  CREATE TABLE events (
    position    INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL,
    stream      TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL
  );
  -- event ids are global idempotency keys
  CREATE UNIQUE INDEX events_id ON events (id);
  -- one event per stream revision; also serves readStream and "current revision" look-ups
  CREATE UNIQUE INDEX events_stream_revision ON events (stream, revision);
  `,
];
