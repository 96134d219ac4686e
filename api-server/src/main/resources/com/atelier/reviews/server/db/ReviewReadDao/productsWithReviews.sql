-- Some products that have reviews (the warm-up's), by the primary key of their totals: no scan.
SELECT product_id FROM product_review_stats ORDER BY product_id LIMIT :limit
