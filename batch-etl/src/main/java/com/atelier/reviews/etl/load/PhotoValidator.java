package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.CopyTuple;
import com.atelier.reviews.etl.csv.CsvRecord;

import java.nio.file.Path;

/** reviews_photos.csv: id,review_id,url; the review must have been loaded. */
public final class PhotoValidator extends RowValidator {

    private final ReferenceIds references;
    private IdSet reviews; // fetched once: the lookup is per row

    public PhotoValidator(Path file, ReferenceIds references) {
        super(SourceFile.REVIEWS_PHOTOS, file);
        this.references = references;
    }

    @Override
    protected int encode(CsvRecord r, CopyTuple t) throws Rejection {
        int id = id(r, 0, "id");
        int reviewId = integer(r, 1, "review_id");
        byte[] url = requiredText(r, 2, "url");
        if (reviews == null) {
            reviews = references.reviewIds();
        }
        if (!reviews.contains(reviewId)) {
            throw new Rejection("unknown review id: " + reviewId);
        }
        t.int4(id).int4(reviewId).text(url);
        return id;
    }
}
