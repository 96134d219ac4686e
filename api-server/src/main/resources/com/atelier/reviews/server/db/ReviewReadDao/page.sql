-- One page of a product's listed reviews in <order> (a SortOrder's SQL), each beside its photos.
SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.created_at, r.reviewer_name,
       r.helpfulness, p.id AS photo_id, p.url AS photo_url
  FROM (SELECT * FROM reviews WHERE product_id = :productId AND NOT reported
         ORDER BY <order> LIMIT :limit OFFSET :offset) r
  LEFT JOIN reviews_photos p ON p.review_id = r.id
 ORDER BY <order>, p.id
