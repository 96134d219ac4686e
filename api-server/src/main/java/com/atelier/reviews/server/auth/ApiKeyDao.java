package com.atelier.reviews.server.auth;

import com.atelier.reviews.db.CacheChanges;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code api_keys} table (V7). Every change also logs {@link CacheChanges#KEYS_CHANGED} in its transaction, so
 * every node's change feed reloads its keys.
 */
public interface ApiKeyDao {

    /** A key as stored (no key, only its hash). */
    record StoredKey(String name, byte[] keyHash, String[] scopes, Instant createdAt, Instant lastUsedAt,
                     Instant revokedAt) {
    }

    @SqlQuery("SELECT name, key_hash, scopes, created_at, last_used_at, revoked_at FROM api_keys WHERE revoked_at IS NULL")
    @RegisterConstructorMapper(StoredKey.class)
    List<StoredKey> keysInUse();

    @SqlQuery("SELECT name, key_hash, scopes, created_at, last_used_at, revoked_at FROM api_keys ORDER BY name, created_at")
    @RegisterConstructorMapper(StoredKey.class)
    List<StoredKey> allKeys();

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM api_keys WHERE name = :name AND revoked_at IS NULL)")
    boolean nameInUse(@Bind("name") String name);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM api_keys WHERE key_hash = :hash)")
    boolean hashKnown(@Bind("hash") byte[] hash);

    @SqlUpdate("INSERT INTO api_keys (name, key_hash, scopes) VALUES (:name, :hash, :scopes)")
    void insert(@Bind("name") String name, @Bind("hash") byte[] hash, @Bind("scopes") String[] scopes);

    /** The revoked key's name, when a key of that name was in use. */
    @SqlQuery("UPDATE api_keys SET revoked_at = now() WHERE name = :name AND revoked_at IS NULL RETURNING name")
    Optional<String> revoke(@Bind("name") String name);

    @SqlUpdate(CacheChanges.RECORD_KEYS_CHANGED)
    void recordKeysChanged();

    /** Adds a key and tells every node, in one transaction. */
    @Transaction
    default void add(String name, byte[] hash, String[] scopes) {
        insert(name, hash, scopes);
        recordKeysChanged();
    }

    /** Revokes a key and tells every node, in one transaction. */
    @Transaction
    default boolean revokeAndNotify(String name) {
        if (revoke(name).isEmpty()) {
            return false;
        }
        recordKeysChanged();
        return true;
    }

    /** The last-used times a node collected, one batch per flush; never moves a time backwards. */
    @SqlBatch("UPDATE api_keys SET last_used_at = greatest(last_used_at, :at) WHERE key_hash = :hash")
    void recordLastUsed(@Bind("hash") List<byte[]> hashes, @Bind("at") List<Instant> ats);
}
