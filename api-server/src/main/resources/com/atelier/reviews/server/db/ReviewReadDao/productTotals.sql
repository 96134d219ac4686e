-- A product's rating totals (null columns when it has no stats row) beside each of its characteristics' totals.
SELECT s.rating_1, s.rating_2, s.rating_3, s.rating_4, s.rating_5, s.recommended_true, s.recommended_false,
       c.id AS characteristic_id, c.name,
       coalesce(cs.value_sum, 0) AS value_sum, coalesce(cs.value_count, 0) AS value_count
  FROM (SELECT CAST(:productId AS integer) AS product_id) q
  LEFT JOIN product_review_stats s ON s.product_id = q.product_id
  LEFT JOIN characteristics c ON c.product_id = q.product_id
  LEFT JOIN characteristic_stats cs ON cs.characteristic_id = c.id
 ORDER BY c.id
