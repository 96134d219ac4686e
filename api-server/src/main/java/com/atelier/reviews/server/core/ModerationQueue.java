package com.atelier.reviews.server.core;

import com.atelier.reviews.contract.model.ReportedReview;
import com.atelier.reviews.contract.model.ReportedReviewList;
import com.atelier.reviews.server.db.ModerationDao;
import org.jdbi.v3.core.Jdbi;

import java.time.ZoneOffset;
import java.util.List;

/** The moderators' read path: the reported reviews, from the database (never cached: moderators want it now). */
public class ModerationQueue {

    private final Jdbi jdbi;

    public ModerationQueue(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public ReportedReviewList page(int page, int count) {
        return jdbi.withHandle(handle -> {
            ModerationDao dao = handle.attach(ModerationDao.class);
            List<ReportedReview> results = dao.reported((long) (page - 1) * count, count).stream()
                    .map(ModerationQueue::toModel).toList();
            return new ReportedReviewList().page(page).count(count).total(dao.reportedCount()).results(results);
        });
    }

    private static ReportedReview toModel(ModerationDao.ReportedRow r) {
        return new ReportedReview().reviewId(r.reviewId()).productId(r.productId()).rating(r.rating())
                .summary(r.summary()).body(r.body()).date(r.createdAt().atOffset(ZoneOffset.UTC))
                .reviewerName(r.reviewerName()).response(r.response()).reports(r.reports())
                .lastReportedAt(r.lastReportedAt() == null ? null : r.lastReportedAt().atOffset(ZoneOffset.UTC));
    }
}
