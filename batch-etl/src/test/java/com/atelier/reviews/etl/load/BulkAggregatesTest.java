package com.atelier.reviews.etl.load;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BulkAggregatesTest {

    @Test
    void countersAddUpPerKeyAndListOnlyKeysWithCounts() {
        BulkAggregates.PagedCounters counters = new BulkAggregates.PagedCounters(2);
        counters.add(5, 0, 4);
        counters.add(5, 0, 3);
        counters.add(5, 1, 1);
        counters.add(Integer.MAX_VALUE, 1, 2); // a stray huge id costs one page
        counters.add(4096, 0, 0); // touched, but nothing counted

        assertThat(counters.get(5, 0)).isEqualTo(7);
        assertThat(counters.get(5, 1)).isEqualTo(1);
        assertThat(counters.get(6, 0)).isZero();
        assertThat(counters.get(1_000_000, 1)).isZero();
        List<Integer> keys = new ArrayList<>();
        counters.forEachKey(keys::add);
        assertThat(keys).containsExactly(5, Integer.MAX_VALUE);
    }

    @Test
    void completeOnlyOnceReviewsAndCharacteristicValuesWereCountedWhole() {
        BulkAggregates aggregates = new BulkAggregates();
        aggregates.completed(SourceFile.CHARACTERISTICS);
        aggregates.completed(SourceFile.REVIEWS);
        assertThat(aggregates.complete()).isFalse();
        aggregates.completed(SourceFile.CHARACTERISTIC_REVIEWS);
        assertThat(aggregates.complete()).isTrue();
    }

    @Test
    void aChunkIsAWholeNumberOfBlocks() {
        assertThat(CsvFileReader.blockRecords(100_000)).isEqualTo(2000);
        assertThat(CsvFileReader.blockRecords(50_000)).isEqualTo(2000);
        assertThat(CsvFileReader.blockRecords(200)).isEqualTo(200);
        assertThat(CsvFileReader.blockRecords(4099)).isEqualTo(1); // a prime: blocks of one record
        for (int chunk : new int[] {1, 7, 250, 20_000, 65_536, 99_999}) {
            assertThat(chunk % CsvFileReader.blockRecords(chunk)).isZero();
            assertThat(CsvFileReader.blockRecords(chunk)).isBetween(1, 2048);
        }
    }
}
