-- The URL a source's saved state belongs to. A source disabled after repeated 404/410 stays
-- disabled across restarts while the config gives it the same URL; a new URL re-enables it
-- (and its validators, which belong to the old URL, are dropped). NULL: saved before this
-- column existed (treated as another URL: the source is tried again once).
ALTER TABLE source_state ADD COLUMN url TEXT;
