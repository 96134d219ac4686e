package com.atelier.reviews.etl.load;

/**
 * A set of positive int ids as a bitset in 8 KiB pages allocated on first use: 20 M dense ids take 2.5 MiB, and a
 * stray huge id in a dirty row costs one page, not a bitset up to it.
 */
public final class IdSet {

    private static final int PAGE_BITS = 16; // 65,536 ids per page
    private final long[][] pages = new long[1 << (31 - PAGE_BITS)][];
    private long size;

    /** Adds the id; false when it was already there. */
    public boolean add(int id) {
        long[] page = pages[id >>> PAGE_BITS];
        if (page == null) {
            page = new long[1 << (PAGE_BITS - 6)];
            pages[id >>> PAGE_BITS] = page;
        }
        int bit = id & ((1 << PAGE_BITS) - 1);
        long mask = 1L << bit; // shifts use the low 6 bits
        long word = page[bit >>> 6];
        if ((word & mask) != 0) {
            return false;
        }
        page[bit >>> 6] = word | mask;
        size++;
        return true;
    }

    public boolean contains(int id) {
        if (id < 0) {
            return false;
        }
        long[] page = pages[id >>> PAGE_BITS];
        if (page == null) {
            return false;
        }
        int bit = id & ((1 << PAGE_BITS) - 1);
        return (page[bit >>> 6] & (1L << bit)) != 0;
    }

    public long size() {
        return size;
    }

    /** Calls {@code action} with every id, in ascending order. */
    public void forEach(java.util.function.IntConsumer action) {
        for (int p = 0; p < pages.length; p++) {
            long[] page = pages[p];
            if (page == null) {
                continue;
            }
            for (int w = 0; w < page.length; w++) {
                long word = page[w];
                while (word != 0) {
                    int bit = Long.numberOfTrailingZeros(word);
                    action.accept((p << PAGE_BITS) | (w << 6) | bit);
                    word &= word - 1;
                }
            }
        }
    }
}
