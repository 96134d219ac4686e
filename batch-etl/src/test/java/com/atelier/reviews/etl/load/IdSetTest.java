package com.atelier.reviews.etl.load;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IdSetTest {

    @Test
    void visitsEveryIdOnceInAscendingOrderAcrossPages() {
        IdSet ids = new IdSet();
        for (int id : new int[] {Integer.MAX_VALUE, 70_000, 1, 63, 64, 65_535, 65_536, 1}) {
            ids.add(id);
        }
        List<Integer> seen = new ArrayList<>();
        ids.forEach(seen::add);
        assertThat(seen).containsExactly(1, 63, 64, 65_535, 65_536, 70_000, Integer.MAX_VALUE);
        assertThat(ids.size()).isEqualTo(7);
    }
}
