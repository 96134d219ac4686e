-- Up to :limit listed reviews of a product by id, each beside its photos (one row per photo, or one with nulls).
SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.created_at, r.reviewer_name,
       r.helpfulness, p.id AS photo_id, p.url AS photo_url
  FROM (SELECT * FROM reviews WHERE product_id = :productId AND NOT reported ORDER BY id LIMIT :limit) r
  LEFT JOIN reviews_photos p ON p.review_id = r.id
 ORDER BY r.id, p.id
