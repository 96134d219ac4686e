package com.atelier.reviews.etl.load;

import java.util.List;

/**
 * The client's four files, in load order (a file is loaded after the files it refers to): name, exact header,
 * target table and its columns (in the order of the file's columns), and the chunk size.
 */
public enum SourceFile {

    CHARACTERISTICS("characteristics.csv", "id,product_id,name", "characteristics",
            List.of("id", "product_id", "name"), 50_000),
    REVIEWS("reviews.csv",
            "id,product_id,rating,date,summary,body,recommend,reported,reviewer_name,reviewer_email,response,helpfulness",
            "reviews", List.of("id", "product_id", "rating", "created_at", "summary", "body", "recommend", "reported",
                    "reviewer_name", "reviewer_email", "response", "helpfulness"), 20_000),
    REVIEWS_PHOTOS("reviews_photos.csv", "id,review_id,url", "reviews_photos",
            List.of("id", "review_id", "url"), 50_000),
    CHARACTERISTIC_REVIEWS("characteristic_reviews.csv", "id,characteristic_id,review_id,value",
            "characteristic_reviews", List.of("id", "characteristic_id", "review_id", "value"), 100_000);

    private final String fileName;
    private final String header;
    private final String table;
    private final List<String> columns;
    private final int defaultChunkSize;

    SourceFile(String fileName, String header, String table, List<String> columns, int defaultChunkSize) {
        this.fileName = fileName;
        this.header = header;
        this.table = table;
        this.columns = columns;
        this.defaultChunkSize = defaultChunkSize;
    }

    public String fileName() {
        return fileName;
    }

    public String header() {
        return header;
    }

    public String table() {
        return table;
    }

    public List<String> columns() {
        return columns;
    }

    public int columnCount() {
        return columns.size();
    }

    public int defaultChunkSize() {
        return defaultChunkSize;
    }

    /** The Spring Batch step that loads this file. */
    public String stepName() {
        return "load-" + table;
    }

    public static List<String> tables() {
        return java.util.Arrays.stream(values()).map(SourceFile::table).toList();
    }
}
