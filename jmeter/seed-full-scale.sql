-- A full-scale dataset with the shape of the client's files, built in the database with generate_series:
-- 1,000,011 products, 4 characteristics each, 5,770,000 reviews (5 to 6 per product, in product order as in
-- reviews.csv, plus 100 popular products with ~1,100 extra reviews each, above the cache bound of 1,000),
-- ~0.5 photos per review, ~3.3 characteristic values per review, ~1 % reported.
--
-- Stand-in until `./reviews generate --scale full` exists. Run on an EMPTY, migrated database:
--   createdb -h 127.0.0.1 -U postgres reviews_bench
--   DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/reviews_bench ./reviews migrate
--   psql -h 127.0.0.1 -U postgres -d reviews_bench -v ON_ERROR_STOP=1 -f jmeter/seed-full-scale.sql
-- Takes ~10 min on 2 cores. Deterministic (setseed; the rest derives from ids).

\timing on
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
SELECT setseed(0.42);

-- Bulk load without the secondary indexes and foreign keys, then put them back.
DROP INDEX reviews_listed_by_product_idx, reviews_photos_review_id_idx, characteristics_product_id_idx,
           characteristic_reviews_review_id_idx;
ALTER TABLE reviews_photos DROP CONSTRAINT reviews_photos_review_id_fkey;
ALTER TABLE characteristic_reviews DROP CONSTRAINT characteristic_reviews_characteristic_id_fkey,
                                   DROP CONSTRAINT characteristic_reviews_review_id_fkey;
ALTER TABLE characteristic_stats DROP CONSTRAINT characteristic_stats_characteristic_id_fkey;

INSERT INTO characteristics (id, product_id, name)
SELECT 4 * (p - 1) + k, p,
       CASE WHEN p % 2 = 0 THEN (ARRAY['Fit', 'Length', 'Comfort', 'Quality'])[k]
            ELSE (ARRAY['Size', 'Width', 'Comfort', 'Quality'])[k] END
  FROM generate_series(1, 1000011) p, generate_series(1, 4) k;

-- 5,660,000 reviews spread over all products in id order, then 110,000 on 100 popular products.
INSERT INTO reviews (id, product_id, rating, created_at, summary, body, recommend, reported, reviewer_name,
                     reviewer_email, response, helpfulness)
SELECT i,
       CASE WHEN i <= 5660000 THEN 1 + ((i - 1)::bigint * 1000011 / 5660000)::int
            ELSE 1 + ((i * 7919) % 100) * 10000 END,
       (ARRAY[1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5])[(1 + i * 31 % 12)::int],
       timestamptz '2020-06-01' - make_interval(secs => (i * 104729 % 63072000)),
       'Summary of review ' || i || ': ' || (ARRAY['great fit', 'runs small', 'would buy again', 'not for me',
           'comfortable all day', 'as pictured'])[(1 + i % 6)::int],
       repeat('This is the body of review ' || i || ', describing fit, fabric and wear after a few weeks. ',
              (1 + i % 4)::int),
       i % 5 <> 0,
       i % 97 = 0,
       'reviewer' || (i * 13 % 500000),
       'reviewer' || (i * 13 % 500000) || '@example.com',
       CASE WHEN i % 20 = 0 THEN 'Thank you for your feedback!' END,
       (i * 7 % 30)
  FROM generate_series(1::bigint, 5770000) i;

-- ~0.5 photos per review: none for half the reviews, one to three for the rest, averaging 1.
INSERT INTO reviews_photos (review_id, url)
SELECT i, 'https://images.example.com/reviews/' || i || '/' || n || '.jpg'
  FROM generate_series(1, 5770000) i, generate_series(1, 3) n
 WHERE (i % 4 = 1 AND n = 1) OR (i % 4 = 3 AND n <= 1 + (i / 4) % 2) OR (i % 12 = 7 AND n = 1);

-- Every review rates 3 characteristics of its product, and 3 in 10 rate the 4th too: 3.3 per review.
INSERT INTO characteristic_reviews (characteristic_id, review_id, value)
SELECT 4 * (r.product_id - 1) + k, r.id, 1 + ((r.id * 7 + k * 3) % 5)
  FROM reviews r, generate_series(1, 4) k
 WHERE k <= 3 OR r.id % 10 < 3;

SELECT setval(pg_get_serial_sequence('reviews', 'id'), (SELECT max(id) FROM reviews));
SELECT setval(pg_get_serial_sequence('reviews_photos', 'id'), (SELECT max(id) FROM reviews_photos));
SELECT setval(pg_get_serial_sequence('characteristics', 'id'), (SELECT max(id) FROM characteristics));
SELECT setval(pg_get_serial_sequence('characteristic_reviews', 'id'), (SELECT max(id) FROM characteristic_reviews));

CREATE INDEX reviews_listed_by_product_idx ON reviews (product_id, created_at DESC, id DESC) WHERE NOT reported;
CREATE INDEX reviews_photos_review_id_idx ON reviews_photos (review_id);
CREATE INDEX characteristics_product_id_idx ON characteristics (product_id);
CREATE INDEX characteristic_reviews_review_id_idx ON characteristic_reviews (review_id);
ALTER TABLE reviews_photos ADD CONSTRAINT reviews_photos_review_id_fkey
    FOREIGN KEY (review_id) REFERENCES reviews (id);
ALTER TABLE characteristic_reviews
    ADD CONSTRAINT characteristic_reviews_characteristic_id_fkey FOREIGN KEY (characteristic_id) REFERENCES characteristics (id),
    ADD CONSTRAINT characteristic_reviews_review_id_fkey FOREIGN KEY (review_id) REFERENCES reviews (id);

SELECT rebuild_review_stats();
ALTER TABLE characteristic_stats ADD CONSTRAINT characteristic_stats_characteristic_id_fkey
    FOREIGN KEY (characteristic_id) REFERENCES characteristics (id);

VACUUM ANALYZE;

SELECT (SELECT count(*) FROM reviews) AS reviews,
       (SELECT count(DISTINCT product_id) FROM characteristics) AS products,
       round((SELECT count(*) FROM reviews_photos)::numeric / (SELECT count(*) FROM reviews), 2) AS photos_per_review,
       round((SELECT count(*) FROM characteristic_reviews)::numeric / (SELECT count(*) FROM reviews), 2) AS values_per_review;
