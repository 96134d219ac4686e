-- What the batch-etl job (batch-etl/) keeps in the database besides the four tables it loads.
-- Spring Batch's own BATCH_* tables are created by the job from the script in spring-batch-core.

-- Rows the loader refused: the file, the physical line where the record starts, its text and why.
CREATE TABLE etl_rejects (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_instance_id bigint      NOT NULL,
    file            text        NOT NULL,
    line            bigint      NOT NULL,
    raw             text        NOT NULL,
    reason          text        NOT NULL,
    rejected_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX etl_rejects_job_file_line_idx ON etl_rejects (job_instance_id, file, line);

-- The keys, indexes and foreign keys a first load into empty tables drops (to COPY at full speed) and rebuilds
-- afterwards, as the statements that recreate them. Saved in the same transaction as the drop, so a crash between
-- the two leaves the way back here, and the migrations stay the only place where they are defined.
CREATE TABLE etl_saved_constraints (
    position    integer PRIMARY KEY, -- restore order: keys, then indexes, then foreign keys
    table_name  text    NOT NULL,
    name        text    NOT NULL,
    restore_sql text    NOT NULL
);

-- What an incremental drop changed, written in each chunk's transaction, so the aggregates are recomputed for these
-- products and characteristics only (then emptied in the transaction that recomputes them).
CREATE TABLE etl_changed_products (product_id integer NOT NULL);
CREATE TABLE etl_changed_characteristics (characteristic_id integer NOT NULL);

-- A bulk load's partial aggregates, one row per chunk and product / characteristic, written with each chunk; the
-- stats tables are their sums (a GROUP BY over a few million small rows instead of a join of the raw rows).
CREATE TABLE etl_stats_product_parts (
    product_id        integer NOT NULL,
    rating_1          integer NOT NULL,
    rating_2          integer NOT NULL,
    rating_3          integer NOT NULL,
    rating_4          integer NOT NULL,
    rating_5          integer NOT NULL,
    recommended_true  integer NOT NULL,
    recommended_false integer NOT NULL
);
CREATE TABLE etl_stats_characteristic_parts (
    characteristic_id integer NOT NULL,
    value_sum         bigint  NOT NULL,
    value_count       integer NOT NULL
);

-- Work owed after a load, done and deleted in one transaction: 'sum_stats_parts' after a bulk load,
-- 'rebuild_review_stats' after restoring an interrupted bulk load that was never resumed.
CREATE TABLE etl_pending (task text PRIMARY KEY);

-- rebuild_review_stats() (V1) for some products and characteristics only: same definitions, same exclusions.
CREATE FUNCTION refresh_review_stats(product_ids integer[], characteristic_ids integer[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM product_review_stats WHERE product_id = ANY (product_ids);
    INSERT INTO product_review_stats
    SELECT product_id,
           count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2),
           count(*) FILTER (WHERE rating = 3), count(*) FILTER (WHERE rating = 4),
           count(*) FILTER (WHERE rating = 5),
           count(*) FILTER (WHERE recommend), count(*) FILTER (WHERE NOT recommend)
      FROM reviews
     WHERE NOT reported AND product_id = ANY (product_ids)
     GROUP BY product_id;
    DELETE FROM characteristic_stats WHERE characteristic_id = ANY (characteristic_ids);
    INSERT INTO characteristic_stats
    SELECT c.id, coalesce(sum(cr.value), 0), count(cr.value)
      FROM characteristics c
      LEFT JOIN (characteristic_reviews cr JOIN reviews r ON r.id = cr.review_id AND NOT r.reported)
             ON cr.characteristic_id = c.id
     WHERE c.id = ANY (characteristic_ids)
     GROUP BY c.id;
$$;

-- After rows were loaded with explicit ids: moves each identity sequence past the largest id (never backwards),
-- so ids handed out by the API do not collide with loaded ones.
CREATE FUNCTION reset_review_id_sequences() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t      text;
    seq    text;
    top    bigint;
    last   bigint;
    called boolean;
BEGIN
    FOREACH t IN ARRAY ARRAY['reviews', 'reviews_photos', 'characteristics', 'characteristic_reviews'] LOOP
        seq := pg_get_serial_sequence(t, 'id');
        EXECUTE format('SELECT max(id) FROM %I', t) INTO top;
        EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO last, called;
        IF top IS NOT NULL AND (NOT called OR top > last) THEN
            PERFORM setval(seq, top);
        END IF;
    END LOOP;
END;
$$;
