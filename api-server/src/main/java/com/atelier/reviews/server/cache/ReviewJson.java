package com.atelier.reviews.server.cache;

import com.atelier.reviews.contract.model.ReviewMeta;
import com.atelier.reviews.server.db.StoredReview;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The read answers' JSON. Each review and each meta is encoded by the application's ObjectMapper (with the legacy
 * details of core's LegacyJson), once, when loaded; a list page is those reviews' bytes inside the page envelope,
 * written here exactly as that mapper writes a ReviewList (ReviewJsonTest compares the two for every path).
 */
public final class ReviewJson {

    private static final byte[] PRODUCT = "{\"product\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAGE = "\",\"page\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COUNT = ",\"count\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESULTS = ",\"results\":[".getBytes(StandardCharsets.US_ASCII);
    /** Between two reviews of a page. */
    static final byte SEPARATOR = ',';
    /** After a page's last review. */
    static final byte[] PAGE_END = "]}".getBytes(StandardCharsets.US_ASCII);

    private final ObjectWriter writer;

    public ReviewJson(ObjectMapper mapper) {
        this.writer = mapper.writer();
    }

    /** One review as it appears in a page's results. */
    public byte[] review(StoredReview review) {
        return encode(ProductReviews.render(review));
    }

    public EncodedJson meta(ReviewMeta meta) {
        return new EncodedJson(encode(meta));
    }

    /**
     * A page: {@code {"product":"7","page":<offset>,"count":<count>,"results":[...]}}. The legacy API answered the
     * first result's offset as {@code page}, and the count asked for (not the number of results).
     */
    public EncodedJson page(int productId, int offset, int count, List<byte[]> reviews) {
        byte[] start = pageStart(productId, offset, count);
        int size = start.length + Math.max(0, reviews.size() - 1) + PAGE_END.length;
        for (byte[] r : reviews) {
            size += r.length;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, start);
        for (int i = 0; i < reviews.size(); i++) {
            if (i > 0) {
                out[at++] = SEPARATOR;
            }
            at = put(out, at, reviews.get(i));
        }
        put(out, at, PAGE_END);
        return new EncodedJson(out);
    }

    /** A page's bytes before its first review (see {@link #page}); its reviews follow, then {@link #PAGE_END}. */
    static byte[] pageStart(int productId, int offset, int count) {
        byte[] product = Integer.toString(productId).getBytes(StandardCharsets.US_ASCII);
        byte[] page = Integer.toString(offset).getBytes(StandardCharsets.US_ASCII);
        byte[] counted = Integer.toString(count).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[PRODUCT.length + product.length + PAGE.length + page.length + COUNT.length
                + counted.length + RESULTS.length];
        int at = put(out, 0, PRODUCT);
        at = put(out, at, product);
        at = put(out, at, PAGE);
        at = put(out, at, page);
        at = put(out, at, COUNT);
        at = put(out, at, counted);
        put(out, at, RESULTS);
        return out;
    }

    static int put(byte[] into, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
    }

    private byte[] encode(Object value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
