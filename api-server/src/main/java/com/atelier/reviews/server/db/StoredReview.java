package com.atelier.reviews.server.db;

import com.atelier.reviews.contract.model.Photo;

import java.time.Instant;
import java.util.List;

/**
 * A listed (not reported) review as stored, with its photos in id order. {@link ReviewPhotoRow#fold} fills the photo
 * list while it reads the rows; nothing changes it afterwards (the caches share it across threads).
 */
public record StoredReview(int id, int rating, String summary, boolean recommend, String response, String body,
                           Instant createdAt, String reviewerName, int helpfulness, List<Photo> photos) {
}
