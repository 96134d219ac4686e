package com.atelier.reviews.server.db;

import com.atelier.reviews.contract.model.Photo;
import com.atelier.reviews.server.core.StoredReview;
import org.jdbi.v3.core.result.LinkedHashMapRowReducer;
import org.jdbi.v3.core.result.RowView;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Map;

/** Folds the review x photo join rows (ordered by review, then photo id) into one StoredReview per review. */
public class StoredReviewReducer implements LinkedHashMapRowReducer<Integer, StoredReview> {

    @Override
    public void accumulate(Map<Integer, StoredReview> map, RowView row) {
        StoredReview review = map.computeIfAbsent(row.getColumn("id", Integer.class), id -> new StoredReview(
                id,
                row.getColumn("rating", Integer.class),
                row.getColumn("summary", String.class),
                row.getColumn("recommend", Boolean.class),
                row.getColumn("response", String.class),
                row.getColumn("body", String.class),
                row.getColumn("created_at", OffsetDateTime.class).toInstant(),
                row.getColumn("reviewer_name", String.class),
                row.getColumn("helpfulness", Integer.class),
                new ArrayList<>()));
        Integer photoId = row.getColumn("photo_id", Integer.class);
        if (photoId != null) {
            review.photos().add(new Photo().id(photoId).url(row.getColumn("photo_url", String.class)));
        }
    }
}
