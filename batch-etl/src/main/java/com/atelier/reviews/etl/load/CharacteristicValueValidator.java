package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.CopyTuple;
import com.atelier.reviews.etl.csv.CsvRecord;

import java.nio.file.Path;

/** characteristic_reviews.csv: id,characteristic_id,review_id,value; both references must have been loaded. */
public final class CharacteristicValueValidator extends RowValidator {

    private final ReferenceIds references;
    private IdSet characteristics; // the references' sets, fetched once: the lookups are per row
    private IdSet reviews;
    private IdSet reported;
    // The row just encoded, for onAccepted.
    private int characteristicId;
    private int value;
    private boolean counted;

    public CharacteristicValueValidator(Path file, ReferenceIds references) {
        super(SourceFile.CHARACTERISTIC_REVIEWS, file);
        this.references = references;
    }

    @Override
    protected int encode(CsvRecord r, CopyTuple t) throws Rejection {
        int id = id(r, 0, "id");
        int characteristicId = integer(r, 1, "characteristic_id");
        int reviewId = integer(r, 2, "review_id");
        int value = oneToFive(r, 3, "value");
        if (reviews == null) {
            characteristics = references.characteristicIds();
            reviews = references.reviewIds();
            reported = references.reportedReviews();
        }
        if (!characteristics.contains(characteristicId)) {
            throw new Rejection("unknown characteristic id: " + characteristicId);
        }
        if (!reviews.contains(reviewId)) {
            throw new Rejection("unknown review id: " + reviewId);
        }
        t.int4(id).int4(characteristicId).int4(reviewId).int2(value);
        this.characteristicId = characteristicId;
        this.value = value;
        this.counted = !reported.contains(reviewId); // values of reported reviews do not count
        return id;
    }

    @Override
    protected void onAccepted(int id, BulkAggregates aggregates) {
        if (counted && aggregates != null) {
            aggregates.countValue(characteristicId, value);
        }
    }
}
