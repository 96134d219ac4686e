package com.atelier.reviews.etl.load;

import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The ids of the tables other files refer to (reviews, characteristics), read from the database once per run when
 * the first file that needs them starts. By then the referenced file is completely loaded (files load in dependency
 * order), so checking a photo's review id is a bit lookup instead of a join or a foreign key per row.
 */
public final class ReferenceIds {

    private final DataSource dataSource;
    private final Map<String, IdSet> byTable = new HashMap<>();

    public ReferenceIds(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public IdSet of(String table) {
        return byTable.computeIfAbsent(table, this::load);
    }

    private IdSet load(String table) {
        IdSet ids = new IdSet();
        try (Connection c = dataSource.getConnection()) {
            // COPY TO STDOUT streams the ids as text lines, far faster than a result set and in constant memory.
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (SELECT id FROM " + table + ") TO STDOUT", new IdLineParser(ids));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot read the ids of " + table, e);
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
