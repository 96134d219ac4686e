package com.atelier.reviews.server.db;

import com.atelier.reviews.contract.model.Photo;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the review x photo join: the review (its photo list still empty) and the row's photo, or null.
 * Read straight from the ResultSet by {@link Mapper}: this is the hot path of a cache miss, and JDBI's generic
 * per-column lookups (RowView.getColumn) cost more CPU than the query's own execution.
 */
public record ReviewPhotoRow(StoredReview review, Photo photo) {

    /** Folds rows ordered by review (each review's rows together), then photo id, into one review each. */
    static List<StoredReview> fold(List<ReviewPhotoRow> rows) {
        List<StoredReview> reviews = new ArrayList<>();
        StoredReview current = null;
        for (ReviewPhotoRow row : rows) {
            if (current == null || current.id() != row.review().id()) {
                current = row.review();
                reviews.add(current);
            }
            if (row.photo() != null) {
                current.photos().add(row.photo());
            }
        }
        return reviews;
    }

    public static final class Mapper implements RowMapper<ReviewPhotoRow> {
        @Override
        public ReviewPhotoRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            StoredReview review = new StoredReview(
                    rs.getInt("id"),
                    rs.getInt("rating"),
                    rs.getString("summary"),
                    rs.getBoolean("recommend"),
                    rs.getString("response"),
                    rs.getString("body"),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                    rs.getString("reviewer_name"),
                    rs.getInt("helpfulness"),
                    new ArrayList<>());
            int photoId = rs.getInt("photo_id");
            Photo photo = rs.wasNull() ? null : new Photo().id(photoId).url(rs.getString("photo_url"));
            return new ReviewPhotoRow(review, photo);
        }
    }
}
