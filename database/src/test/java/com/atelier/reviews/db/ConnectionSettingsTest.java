package com.atelier.reviews.db;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionSettingsTest {

    @Test
    void aMultiHostUrlSplitsIntoOneSettingsPerHost() {
        ConnectionSettings s = new ConnectionSettings(
                "jdbc:postgresql://10.0.0.1:5432,standby.local:5433/reviews?targetServerType=preferSecondary", "u", "p");
        assertThat(s.eachHost()).containsExactly(
                new ConnectionSettings("jdbc:postgresql://10.0.0.1:5432/reviews?targetServerType=preferSecondary", "u", "p"),
                new ConnectionSettings("jdbc:postgresql://standby.local:5433/reviews?targetServerType=preferSecondary", "u", "p"));
        assertThat(s.eachHost().get(1).hostAndPort()).isEqualTo("standby.local:5433");
        ConnectionSettings one = new ConnectionSettings("jdbc:postgresql://db/reviews", "u", "p");
        assertThat(one.eachHost()).containsExactly(one);
        assertThat(one.hostAndPort()).isEqualTo("db:5432");
    }

    @Test
    void libpqUrlBecomesJdbcWithItsCredentials() {
        ConnectionSettings s = ConnectionSettings.parse("postgres://app:s3cret@db.local/reviews?sslmode=require", "x", "y");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5432/reviews?sslmode=require");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void jdbcUrlKeepsTheGivenCredentialsAndCanSwitchDatabase() {
        ConnectionSettings s = ConnectionSettings.fromEnvironment(Map.of(
                "DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?ApplicationName=x", "DATABASE_USER", "root"));
        assertThat(s.user()).isEqualTo("root");
        assertThat(s.password()).isEmpty();
        ConnectionSettings other = s.withDatabase("reviews");
        assertThat(other.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/reviews?ApplicationName=x");
        assertThat(other.databaseName()).isEqualTo("reviews");
    }

    @Test
    void unsetMeansNoneAndGarbageIsRefused() {
        assertThat(ConnectionSettings.fromEnvironment(Map.of())).isNull();
        assertThatThrownBy(() -> ConnectionSettings.parse("mysql://x/y", "u", "p"))
                .hasMessageContaining("DATABASE_URL");
    }

    @Test
    void shellExportsAreLibpqVariablesQuotedForEval() {
        ConnectionSettings libpq = ConnectionSettings.parse("postgresql://app:it's@db.local:6543/reviews", "x", "");
        assertThat(libpq.shellExports()).isEqualTo("""
                export PGDATABASE='reviews'
                export PGHOST='db.local'
                export PGPASSWORD='it'\\''s'
                export PGPORT='6543'
                export PGUSER='app'
                """);
        ConnectionSettings noPassword = ConnectionSettings.parse("jdbc:postgresql://127.0.0.1/postgres", "root", "");
        assertThat(noPassword.shellExports()).doesNotContain("PGPASSWORD").contains("export PGPORT='5432'\n");
    }
}
