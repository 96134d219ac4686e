-- Access control and moderation (issue 13).

-- API keys. Only the SHA-256 of a key is stored: keys are 256 random bits (or a front end's imported token), so a
-- fast hash is enough and lets a node check a key with one hash and a lookup, without the database. A name is
-- unique among the keys in use; a revoked key keeps its row (and its name may be given to a new key).
CREATE TABLE api_keys (
    id           integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    key_hash     bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    scopes       text[]      NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write', 'moderate']),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz, -- batched by each node in the background, never written per request
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX api_keys_name_in_use_idx ON api_keys (name) WHERE revoked_at IS NULL;

-- Who reported a review and when: one row per review and reporter (a key's name, or 'anonymous' when a node does
-- not require keys), so the same key reporting twice counts once. reviews.reported stays the flag every read
-- path uses; these rows are the moderation queue's detail. Loaded reviews reported in the legacy data have none.
CREATE TABLE review_reports (
    review_id   integer     NOT NULL, -- no foreign key, like idempotency_keys: the ETL reloads reviews
    reporter    text        NOT NULL,
    reported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (review_id, reporter)
);

-- No new index on reviews: the ETL pins the four loaded tables' index set (batch-etl SampleLoadTest), so the
-- moderation queue finds reported reviews by a scan of reviews (a partial index WHERE reported is the fix once
-- the ETL knows of it).

-- Every moderation action, kept for good (no foreign key: a removed review's trail stays).
CREATE TABLE moderation_audit (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_name   text        NOT NULL,
    action     text        NOT NULL CHECK (action IN ('restore', 'remove', 'set_response', 'clear_response')),
    review_id  integer     NOT NULL,
    product_id integer     NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_audit_review_id_idx ON moderation_audit (review_id);
