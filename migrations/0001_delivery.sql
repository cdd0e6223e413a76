-- Subscriptions, seen briefs and the delivery ledger.
-- Portable between SQLite and PostgreSQL: BIGINT/INTEGER/TEXT columns only, timestamps as
-- unix milliseconds (BIGINT), Discord snowflakes as BIGINT, no engine-specific functions.

-- A channel subscribed to briefs. `origin` = 'config' rows mirror the configuration file and
-- are only changed by the config sync; 'command' rows come from the subscribe command.
CREATE TABLE subscriptions (
    channel_id     BIGINT NOT NULL PRIMARY KEY,
    guild_id       BIGINT,
    -- Lowercase topics joined with ','; empty = every brief.
    topics         TEXT   NOT NULL DEFAULT '',
    mode           TEXT   NOT NULL CHECK (mode IN ('instant', 'daily')),
    -- Local time of the daily digest, 'HH:MM'; set exactly when mode = 'daily'.
    digest_at      TEXT,
    origin         TEXT   NOT NULL CHECK (origin IN ('config', 'command')),
    created_at     BIGINT NOT NULL,
    -- Set when delivery to the channel stopped (channel deleted, access lost); NULL = active.
    paused_reason  TEXT,
    -- End of the window covered by the last daily digest.
    last_digest_at BIGINT,
    CHECK ((mode = 'instant' AND digest_at IS NULL) OR (mode = 'daily' AND digest_at IS NOT NULL))
);

CREATE INDEX subscriptions_guild ON subscriptions (guild_id);

-- Every brief id the bot has ever loaded, with the time it was first seen. A brief is
-- planned for instant delivery only once: when its row is inserted here.
CREATE TABLE seen_briefs (
    brief_id      TEXT   NOT NULL PRIMARY KEY,
    first_seen_at BIGINT NOT NULL
);

CREATE INDEX seen_briefs_first_seen ON seen_briefs (first_seen_at);

-- The ledger: one row per message a channel must receive. The primary key makes planning
-- idempotent; `nonce` is sent with the message so Discord drops a resend after a crash.
CREATE TABLE deliveries (
    channel_id   BIGINT  NOT NULL REFERENCES subscriptions (channel_id) ON DELETE CASCADE,
    -- The brief id, or 'digest:<local date>:<part>'.
    delivery_key TEXT    NOT NULL,
    nonce        TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('brief', 'digest')),
    -- 'brief': the brief id; 'digest': JSON array of brief ids.
    payload      TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    -- Order among rows created in the same millisecond.
    seq          INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    sent_at      BIGINT,
    last_error   TEXT,
    PRIMARY KEY (channel_id, delivery_key)
);

CREATE INDEX deliveries_status ON deliveries (status, created_at, seq);
