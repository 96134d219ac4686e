package com.atelier.reviews.etl.generate;

import com.atelier.reviews.etl.load.SourceFile;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes the client's four files for products 1..N, deterministically for a seed (same seed and size, same bytes),
 * in one pass over the products, so memory stays flat at any size.
 *
 * <p>Shape, tuned on the client's dataset (1,000,011 products: 5,774,952 reviews, 2,742,540 photos, 3,347,679
 * characteristics, 19,327,575 characteristic values): 5.77 reviews per product (exponential, some products have
 * none), ratings skewed to 4-5, 0.47 photos per review, 3-5 characteristics per product (3.35 on average), one value
 * per characteristic of the product for each review. The real quirks: epoch-millisecond dates, unquoted {@code null}
 * responses, commas, doubled quotes and line breaks inside quoted text, photo ids now and then out of order, no line
 * break after the last row.
 *
 * <p>Dirty rows are extra lines (a share of each file, every kind in turn): they never replace a good row, and no good
 * row refers to them, so a correct load lands exactly the good rows and rejects exactly the dirty ones. The counts go
 * to {@code generated.properties} beside the files.
 */
public final class DatasetGenerator {

    public static final int FULL_SCALE_PRODUCTS = 1_000_011;
    public static final String MANIFEST = "generated.properties";

    /** Dates between 2020-05-01 and 2021-06-30, like the client's. */
    private static final long FIRST_DATE = 1_588_291_200_000L;
    private static final long DATE_SPAN = 1_625_097_599_999L - FIRST_DATE;
    /** Mean of the exponential whose floor averages 5.775 reviews per product. */
    private static final double REVIEWS_MEAN = 1 / Math.log(1 + 1 / 5.775);

    /** What to generate. */
    public record Spec(int products, long seed, double dirtyPercent) {
    }

    /** Good and dirty rows written per file. */
    public record Counts(Map<SourceFile, Long> good, Map<SourceFile, Long> dirty) {
    }

    private final Spec spec;
    private final SplittableRandom random;
    private final Lorem lorem;
    private final Map<SourceFile, Long> good = new EnumMap<>(SourceFile.class);
    private final Map<SourceFile, Long> dirty = new EnumMap<>(SourceFile.class);
    private final Map<SourceFile, Integer> nextDirtyKind = new EnumMap<>(SourceFile.class);

    private int characteristicId;
    private int reviewId;
    private int photoId;
    private int valueId;
    // The last good row of each file: what a "duplicate id" dirty row repeats (0 before the first).
    private int lastGoodCharacteristicId;
    private int lastGoodReviewId;
    private int lastGoodPhotoId;
    private int lastGoodValueId;
    /** The id of the last dirty (so rejected) review: photos pointing at it must be rejected too. */
    private int lastRejectedReviewId;

    private DatasetGenerator(Spec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        this.lorem = new Lorem(random);
        for (SourceFile f : SourceFile.values()) {
            good.put(f, 0L);
            dirty.put(f, 0L);
            nextDirtyKind.put(f, 0);
        }
    }

    public static Counts generate(Spec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        DatasetGenerator g = new DatasetGenerator(spec);
        try (CsvOut characteristics = out(dir, SourceFile.CHARACTERISTICS);
             CsvOut reviews = out(dir, SourceFile.REVIEWS);
             CsvOut photos = out(dir, SourceFile.REVIEWS_PHOTOS);
             CsvOut values = out(dir, SourceFile.CHARACTERISTIC_REVIEWS)) {
            for (int product = 1; product <= spec.products(); product++) {
                g.product(product, characteristics, reviews, photos, values);
            }
        }
        Counts counts = new Counts(g.good, g.dirty);
        g.writeManifest(dir.resolve(MANIFEST));
        return counts;
    }

    private static CsvOut out(Path dir, SourceFile f) throws IOException {
        return new CsvOut(dir.resolve(f.fileName()), f.header());
    }

    private void product(int product, CsvOut characteristics, CsvOut reviews, CsvOut photos, CsvOut values) {
        String[] names = lorem.characteristics();
        int[] characteristicIds = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            maybeDirty(SourceFile.CHARACTERISTICS, characteristics, product);
            characteristicIds[i] = ++characteristicId;
            characteristics.row().num(characteristicId).num(product).quoted(names[i]);
            lastGoodCharacteristicId = characteristicId;
            count(SourceFile.CHARACTERISTICS);
        }
        int reviewCount = (int) Math.min(2_000, Math.floor(-REVIEWS_MEAN * Math.log(1 - random.nextDouble())));
        for (int r = 0; r < reviewCount; r++) {
            maybeDirty(SourceFile.REVIEWS, reviews, product);
            int id = ++reviewId;
            int rating = rating();
            review(reviews, id, product, rating);
            lastGoodReviewId = id;
            count(SourceFile.REVIEWS);
            photos(photos, id);
            for (int characteristic : characteristicIds) {
                maybeDirty(SourceFile.CHARACTERISTIC_REVIEWS, values, characteristic);
                int value = Math.max(1, Math.min(5, rating + random.nextInt(3) - 1));
                values.row().num(++valueId).num(characteristic).num(id).num(value);
                lastGoodValueId = valueId;
                count(SourceFile.CHARACTERISTIC_REVIEWS);
            }
        }
    }

    private int rating() {
        int r = random.nextInt(100);
        return r < 7 ? 1 : r < 15 ? 2 : r < 30 ? 3 : r < 60 ? 4 : 5;
    }

    private void review(CsvOut out, int id, int product, int rating) {
        boolean recommend = random.nextInt(100) < (rating >= 4 ? 92 : rating == 3 ? 50 : 12);
        int kind = random.nextInt(1000);
        out.row().num(id).num(product).num(rating).num(FIRST_DATE + random.nextLong(DATE_SPAN))
                .quoted(random.nextInt(40) == 0 ? "" : lorem.summary())
                .quoted(lorem.body())
                .plain(recommend ? "true" : "false")
                .plain(random.nextInt(50) == 0 ? "true" : "false")
                .quoted(lorem.userName())
                .quoted(lorem.email());
        if (kind < 150) {
            out.quoted(lorem.response());
        } else if (kind < 152) {
            out.quoted("null"); // the word, not a missing response
        } else {
            out.plain("null");
        }
        out.num(helpfulness());
    }

    private int helpfulness() {
        return (int) Math.min(100, Math.floor(-8 * Math.log(1 - random.nextDouble())));
    }

    /** 0.47 per review on average; when a review has several, their ids are sometimes out of order (as in the client's). */
    private void photos(CsvOut out, int review) {
        if (random.nextInt(10_000) >= 2_317) {
            return;
        }
        int r = random.nextInt(100);
        int n = r < 35 ? 1 : r < 70 ? 2 : r < 90 ? 3 : 4;
        boolean swap = n >= 2 && random.nextInt(20) == 0;
        String[] urls = new String[n];
        for (int i = 0; i < n; i++) {
            urls[i] = lorem.photoUrl();
        }
        int first = photoId + 1;
        photoId += n;
        for (int i = 0; i < n; i++) {
            int index = swap && i < 2 ? 1 - i : i;
            maybeDirty(SourceFile.REVIEWS_PHOTOS, out, review);
            out.row().num(first + index).num(review).quoted(urls[index]);
            lastGoodPhotoId = first + index;
            count(SourceFile.REVIEWS_PHOTOS);
        }
    }

    private void count(SourceFile f) {
        good.merge(f, 1L, Long::sum);
    }

    /**
     * Now and then an extra, bad row before the next good one: each kind of fault in turn. {@code context} is the
     * product (characteristics, reviews) or the review (photos) or the characteristic (values) of the good row.
     */
    private void maybeDirty(SourceFile f, CsvOut out, int context) {
        if (spec.dirtyPercent() <= 0 || random.nextDouble() * 100 >= spec.dirtyPercent()) {
            return;
        }
        int kind = nextDirtyKind.merge(f, 1, Integer::sum) - 1;
        switch (f) { // a duplicate needs a good row before it; until there is one, a bad number instead
            case CHARACTERISTICS -> dirtyCharacteristic(out, duplicateOr0(kind % 5, 3, lastGoodCharacteristicId), context);
            case REVIEWS -> dirtyReview(out, duplicateOr0(kind % 8, 6, lastGoodReviewId), context);
            case REVIEWS_PHOTOS -> dirtyPhoto(out, duplicateOr0(kind % 5, 4, lastGoodPhotoId), context);
            case CHARACTERISTIC_REVIEWS -> dirtyValue(out, duplicateOr0(kind % 6, 4, lastGoodValueId), context);
        }
        dirty.merge(f, 1L, Long::sum);
    }

    private static int duplicateOr0(int kind, int duplicateKind, int lastGood) {
        return kind == duplicateKind && lastGood == 0 ? 0 : kind;
    }

    private void dirtyCharacteristic(CsvOut out, int kind, int product) {
        switch (kind) {
            case 0 -> out.row().num(++characteristicId).plain(product + "x").quoted("Fit"); // bad number
            case 1 -> out.row().num(++characteristicId).num(product); // wrong column count
            case 2 -> out.row().num(++characteristicId).num(product).plain("\"Fit\"x"); // broken quoting
            case 3 -> out.row().num(lastGoodCharacteristicId).num(product).quoted("Size"); // duplicate id
            default -> out.row().num(++characteristicId).num(product).plain("null"); // missing name
        }
    }

    private void dirtyReview(CsvOut out, int kind, int product) {
        int id;
        if (kind == 6) {
            id = lastGoodReviewId; // duplicate id; the rest of the row is valid
        } else {
            id = ++reviewId;
            lastRejectedReviewId = id;
        }
        out.row().num(id);
        String date = Long.toString(FIRST_DATE + random.nextLong(DATE_SPAN));
        switch (kind) {
            case 0 -> out.plain(product + "a").num(4).plain(date); // bad number
            case 1 -> out.num(product).num(random.nextBoolean() ? 0 : 6).plain(date); // rating outside 1-5
            case 2 -> out.num(product).num(4).plain("2020-07-30"); // the older dataset's ISO dates
            default -> out.num(product).num(5).plain(date);
        }
        if (kind == 5) { // broken quoting: quotes inside a quoted field that are not doubled
            out.quoted("Nice").plain("\"I'd call it \"perfect\" really\"");
        } else {
            out.quoted(lorem.summary()).quoted(kind == 7 ? "" : lorem.body());
        }
        out.plain(kind == 3 ? "yes" : "true").plain("false").quoted(lorem.userName()).quoted(lorem.email());
        if (kind == 7) {
            out.plain("null").num(-3); // negative helpfulness
        } else if (kind != 4) { // kind 4: the last two columns are missing
            out.plain("null").num(helpfulness());
        }
    }

    private void dirtyPhoto(CsvOut out, int kind, int review) {
        switch (kind) {
            case 0 -> out.row().num(++photoId).num(lastRejectedReviewId > 0 ? lastRejectedReviewId
                    : reviewId + 50_000_000).quoted(lorem.photoUrl()); // unknown review id (a rejected review's)
            case 1 -> out.row().num(++photoId).plain("r" + review).quoted(lorem.photoUrl()); // bad number
            case 2 -> out.row().num(++photoId).num(review); // wrong column count
            case 3 -> out.row().num(++photoId).num(review).plain("https://example.com/\"x\".jpg"); // broken quoting
            default -> out.row().num(lastGoodPhotoId).num(review).quoted(lorem.photoUrl()); // duplicate id
        }
    }

    private void dirtyValue(CsvOut out, int kind, int characteristic) {
        switch (kind) {
            case 0 -> out.row().num(++valueId).num(characteristic).num(reviewId + 50_000_000).num(3); // unknown review
            case 1 -> out.row().num(++valueId).num(characteristicId + 50_000_000).num(reviewId).num(3); // unknown characteristic
            case 2 -> out.row().num(++valueId).num(characteristic).num(reviewId).num(random.nextBoolean() ? 0 : 6);
            case 3 -> out.row().num(++valueId).num(characteristic).num(reviewId).plain("4.5"); // bad number
            case 4 -> out.row().num(lastGoodValueId).num(characteristic).num(reviewId).num(2); // duplicate id
            default -> out.row().num(++valueId).num(characteristic).num(reviewId); // wrong column count
        }
    }

    private void writeManifest(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("# written by: generate --products " + spec.products() + " --seed " + spec.seed()
                    + " --dirty-percent " + spec.dirtyPercent() + "\n");
            w.write("products=" + spec.products() + "\nseed=" + spec.seed() + "\ndirty_percent=" + spec.dirtyPercent()
                    + "\n");
            for (SourceFile f : SourceFile.values()) {
                w.write(f.table() + ".good=" + good.get(f) + "\n");
                w.write(f.table() + ".dirty=" + dirty.get(f) + "\n");
            }
        }
    }
}
