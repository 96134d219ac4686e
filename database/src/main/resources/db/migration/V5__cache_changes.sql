-- The cache invalidation log the API nodes poll (api-server cache/ChangeFeed). Every write adds, in its own
-- transaction, the product it changed; NULL means "everything" (a bulk load). Rows carry their transaction id, so a
-- poller can tell exactly which rows committed since its previous snapshot, whatever order they committed in
-- (the technique of Skytools PgQ). The id is stored as bigint: its range statistics let the planner use the index.
-- A plain (logged) table, so the log replicates to standbys like the data it describes.
CREATE TABLE cache_changes (
    xid        bigint  NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
    product_id integer
);
CREATE INDEX cache_changes_xid_idx ON cache_changes (xid);
