package com.atelier.reviews.server.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Asked of a read connection before it serves a read: how far the server it reached has replayed. */
public interface StandbyDao {

    @SqlQuery("""
            SELECT pg_is_in_recovery() AS in_recovery,
                   (pg_last_wal_replay_lsn() - '0/0')::bigint AS replayed,
                   (pg_last_wal_receive_lsn() - '0/0')::bigint AS received
            """)
    @RegisterConstructorMapper(ReplayPosition.class)
    ReplayPosition position();
}
