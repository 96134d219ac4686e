-- Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header; Stripe semantics): the first successful answer
-- to a keyed write, replayed to retries that carry the same key and the same request. A write claims its key in
-- its own transaction (the primary key makes two claims of one key exclusive: the second waits for the first to
-- commit, then replays its answer), so a key exists exactly when its write committed.
CREATE TABLE idempotency_keys (
    idempotency_key   text        PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash      bytea       NOT NULL CHECK (length(request_hash) = 32), -- SHA-256 of method, path, canonical body
    -- The answer. NULL only inside the claiming transaction, before its write is done: never seen by others.
    response_status   smallint,
    response_body     text,
    response_location text,
    review_id         integer, -- the review the write created or changed; no foreign key, the ETL reloads reviews
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- Pruning deletes the keys older than the retention (24 h) in created_at order.
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
