/**
 * Schema migrations of the PostgreSQL store, applied in order inside one transaction and
 * recorded in the store schema's `schema_migrations` table. Each runs with `search_path` set to
 * the store's schema, so the SQL names no schema. Append new entries; never edit one that has
 * shipped.
 */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'events',
    sql: `
    -- position comes from the identity sequence. Sequence values are handed out before commit,
    -- so on their own they could become visible out of order; appends draw them while holding
    -- the store's append lock (see PostgresEventStore), which makes commit order position order.
    -- data and metadata are text, not jsonb: they keep the exact JSON the writer's serialiser
    -- produced (jsonb refuses escapes such as a lone surrogate "\\ud800", reorders keys and
    -- rewrites numbers), the same guarantee as the SQLite store. The JSON was produced by
    -- JSON.stringify after validation, so it needs no second check here.
    CREATE TABLE events (
      position    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id          uuid        NOT NULL,
      stream      text        NOT NULL,
      revision    bigint      NOT NULL,
      type        text        NOT NULL,
      data        text        NOT NULL,
      metadata    text        NOT NULL,
      recorded_at timestamptz NOT NULL,
      -- event ids are global idempotency keys
      CONSTRAINT events_id_key UNIQUE (id),
      -- one event per stream revision; also serves readStream and "current revision" look-ups
      CONSTRAINT events_stream_revision_key UNIQUE (stream, revision)
    );
    `,
  },
];
