package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.CopyTuple;
import com.atelier.reviews.etl.csv.CsvRecord;

import java.nio.file.Path;

/** reviews.csv: id,product_id,rating,date,summary,body,recommend,reported,reviewer_name,reviewer_email,response,helpfulness */
public final class ReviewValidator extends RowValidator {

    /** Dates are epoch milliseconds; this keeps them between 1970 and 3000. */
    private static final long LATEST_DATE_MILLIS = 32_503_680_000_000L;
    private static final byte[] EMPTY = new byte[0];

    private final IdSet reportedIds = new IdSet();
    // The row just encoded, for onAccepted.
    private int productId;
    private int rating;
    private boolean recommend;
    private boolean reported;

    public ReviewValidator(Path file) {
        super(SourceFile.REVIEWS, file);
    }

    @Override
    protected void onAccepted(int id, BulkAggregates counts) {
        if (reported) {
            reportedIds.add(id);
        } else if (counts != null) { // reported reviews are not counted
            counts.countReview(productId, rating, recommend);
        }
    }

    @Override
    public void handOverAcceptedIds(ReferenceIds references) {
        references.handOverReviews(acceptedIds(), reportedIds);
    }

    /** The reported reviews among those accepted. */
    public IdSet reportedIds() {
        return reportedIds;
    }

    @Override
    protected int encode(CsvRecord r, CopyTuple t) throws Rejection {
        int id = id(r, 0, "id");
        int productId = id(r, 1, "product_id");
        int rating = oneToFive(r, 2, "rating");
        long date = number(r, 3, "date");
        if (date < 0 || date > LATEST_DATE_MILLIS) {
            throw new Rejection("date out of range: " + date);
        }
        byte[] summary = optionalText(r, 4, "summary"); // the schema's default for a missing summary is ''
        byte[] body = requiredText(r, 5, "body");
        boolean recommend = bool(r, 6, "recommend");
        boolean reported = bool(r, 7, "reported");
        byte[] name = requiredText(r, 8, "reviewer_name");
        byte[] email = requiredText(r, 9, "reviewer_email");
        byte[] response = optionalText(r, 10, "response");
        int helpfulness = integer(r, 11, "helpfulness");
        if (helpfulness < 0) {
            throw new Rejection("helpfulness must not be negative: " + helpfulness);
        }
        t.int4(id).int4(productId).int2(rating).timestampFromEpochMillis(date)
                .text(summary == null ? EMPTY : summary).text(body).bool(recommend).bool(reported)
                .text(name).text(email);
        if (response == null) {
            t.nullValue();
        } else {
            t.text(response);
        }
        t.int4(helpfulness);
        this.productId = productId;
        this.rating = rating;
        this.recommend = recommend;
        this.reported = reported;
        return id;
    }
}
