-- Durable Streams on PostgreSQL, schema version 1.
--
-- Every table is keyed by the stream name first, and every statement the store issues touches the
-- rows of one stream (a fork's read of its source touches the source's rows in a statement of its
-- own), so the name is the distribution column when these tables are distributed (Citus):
--   SELECT create_distributed_table('ds_stream', 'name');  -- and colocated: ds_chunk, ds_producer
--
-- Truth: ds_stream (existence, configuration, tail, closure, Stream-Seq), ds_chunk (the bytes) and
-- ds_producer (idempotent producer state) are written in one transaction per group of appends, so
-- data and the writer state that describes it can never disagree. Node memory only caches them.

-- Incarnation ids: strictly increasing across every node and restart (a sequence never goes back;
-- gaps are harmless).
CREATE SEQUENCE ds_incarnation_seq AS bigint START WITH 1 CACHE 1;

-- One row per stream name: the live incarnation, or a soft-deleted one that forks still read (its
-- name cannot be reused until they are gone). A removed stream's rows are deleted.
CREATE TABLE ds_stream (
    name                  text     NOT NULL,
    incarnation           bigint   NOT NULL,
    soft_deleted          boolean  NOT NULL DEFAULT false,
    content_type          text     NOT NULL,
    -- expiry: effective (a fork may inherit its source's) and as the creating request stated it
    ttl_seconds           bigint,
    expires_at            text,
    expires_at_ms         bigint,
    ttl_requested         bigint,
    expires_at_requested  text,
    created_ms            bigint   NOT NULL,
    last_access_ms        bigint   NOT NULL,
    -- fork configuration: the source stream incarnation and the divergence position
    source_name           text,
    source_incarnation    bigint,
    fork_position         bigint   NOT NULL DEFAULT 0,
    fork_offset_requested text,
    fork_sub_offset       bigint   NOT NULL DEFAULT 0,
    restartable           boolean  NOT NULL DEFAULT false,
    fork_refs             integer  NOT NULL DEFAULT 0,
    -- writer state
    tail                  bigint   NOT NULL,
    closed                boolean  NOT NULL DEFAULT false,
    closed_by_id          text,
    closed_by_epoch       bigint,
    closed_by_seq         bigint,
    last_stream_seq       text,
    PRIMARY KEY (name)
);
CREATE INDEX ds_stream_expiry ON ds_stream (expires_at_ms) WHERE expires_at_ms IS NOT NULL;
CREATE INDEX ds_stream_ttl ON ds_stream (last_access_ms) WHERE ttl_seconds IS NOT NULL;

-- One row per append (batch): the bytes at positions [start_pos, end_pos) of one incarnation.
-- message_ends: where each message ends, relative to start_pos (JSON streams; null when the whole
-- append is one message).
CREATE TABLE ds_chunk (
    name          text     NOT NULL,
    incarnation   bigint   NOT NULL,
    start_pos     bigint   NOT NULL,
    end_pos       bigint   NOT NULL,
    message_ends  integer[],
    data          bytea    NOT NULL,
    PRIMARY KEY (name, incarnation, start_pos)
);

-- Idempotent producer state per stream incarnation (PROTOCOL.md §5.2.1).
CREATE TABLE ds_producer (
    name          text     NOT NULL,
    incarnation   bigint   NOT NULL,
    producer_id   text     NOT NULL,
    epoch         bigint   NOT NULL,
    last_seq      bigint   NOT NULL,
    PRIMARY KEY (name, incarnation, producer_id)
);

-- Control-plane records (subscriptions, signing keys): small values, few writes.
CREATE TABLE ds_control (
    key           text     NOT NULL PRIMARY KEY,
    value         bytea    NOT NULL
);
