package com.atelier.reviews.etl.load;

import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The ids other files refer to (reviews, characteristics) and the reported reviews (whose characteristic values do
 * not count in the aggregates), for one run. Each set is read from the database when first needed, which is after
 * the referenced file is completely loaded (files load in dependency order), so checking a photo's review id is a
 * bit lookup instead of a join or a foreign key per row. Thread-safe: two file steps run at once; validators keep
 * the set they got. When this run loaded a table whole into an empty table,
 * the step hands over the ids it accepted instead, which are exactly the table's ids.
 */
public final class ReferenceIds {

    private final DataSource dataSource;
    private IdSet reviews;
    private IdSet reported;
    private IdSet characteristics;

    public ReferenceIds(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public synchronized IdSet reviewIds() {
        if (reviews == null) {
            reviews = load("SELECT id FROM reviews");
        }
        return reviews;
    }

    public synchronized IdSet reportedReviews() {
        if (reported == null) {
            reported = load("SELECT id FROM reviews WHERE reported");
        }
        return reported;
    }

    public synchronized IdSet characteristicIds() {
        if (characteristics == null) {
            characteristics = load("SELECT id FROM characteristics");
        }
        return characteristics;
    }

    /** The reviews table now holds exactly these ids (a whole file loaded into an empty table by this run). */
    synchronized void handOverReviews(IdSet ids, IdSet reportedIds) {
        reviews = ids;
        reported = reportedIds;
    }

    synchronized void handOverCharacteristics(IdSet ids) {
        characteristics = ids;
    }

    private IdSet load(String query) {
        IdSet ids = new IdSet();
        try (Connection c = dataSource.getConnection()) {
            // COPY TO STDOUT streams the ids as text lines, far faster than a result set and in constant memory.
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + query + ") TO STDOUT", new IdLineParser(ids));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot run " + query, e);
        }
        return ids;
    }

    /** Parses "123\n456\n..." as it streams in. */
    private static final class IdLineParser extends OutputStream {
        private final IdSet ids;
        private int value;

        IdLineParser(IdSet ids) {
            this.ids = ids;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                ids.add(value);
                value = 0;
            } else {
                value = value * 10 + (b - '0');
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
