-- Feeds and web pages ([[sources]]): what each source last did, and every brief it gave.
-- Portable between SQLite and PostgreSQL like 0001 (BIGINT/INTEGER/TEXT, unix milliseconds).

-- One row per configured source name, written after every fetch.
CREATE TABLE source_state (
    name          TEXT    NOT NULL PRIMARY KEY,
    -- 'rss' | 'atom' | 'json' | 'page' | 'auto' (not fetched yet)
    kind          TEXT    NOT NULL,
    -- Cache validators of the last body, sent back for a conditional GET.
    etag          TEXT,
    last_modified TEXT,
    last_fetch_at BIGINT,
    next_fetch_at BIGINT,
    -- 'waiting' | 'ok' | 'failing' | 'disabled'
    state         TEXT    NOT NULL,
    last_error    TEXT,
    items         INTEGER NOT NULL DEFAULT 0
);

-- Every item a source ever gave, as a brief (JSON), with the hash of what it was made from:
-- a restart restores them without re-posting, an item that left the feed stays, and an
-- edited item (new hash) replaces its brief under the same id.
CREATE TABLE source_items (
    source        TEXT   NOT NULL,
    item_key      TEXT   NOT NULL,
    brief_id      TEXT   NOT NULL,
    content_hash  TEXT   NOT NULL,
    brief         TEXT   NOT NULL,
    first_seen_at BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (source, item_key)
);
