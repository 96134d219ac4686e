package com.atelier.reviews.server.replicas;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hot standbys for cache-miss reads (README "Standbys"). Empty {@code url}: every read goes to the primary, as with
 * one database.
 */
public class ReplicasConfiguration {

    /** A pgjdbc URL of the standbys, several hosts allowed ({@code jdbc:postgresql://h1:5432,h2:5432/reviews}). */
    @NotNull
    private String url = "";

    /** A standby whose replay is further behind the primary than this serves no reads. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration maxLag = Duration.seconds(5);

    /** How long a read waits for a standby to replay a recent change before it asks the primary instead. */
    @NotNull
    @MaxDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration maxWait = Duration.milliseconds(10);

    /** How often each standby's lag is measured for its metrics and health check. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    private Duration checkInterval = Duration.seconds(1);

    @JsonIgnore
    public boolean isConfigured() {
        return !url.isBlank();
    }

    @ValidationMethod(message = "replicas.url must be a jdbc:postgresql: URL (or empty: no standbys)")
    @JsonIgnore
    public boolean isUrlValid() {
        return url.isBlank() || url.startsWith("jdbc:postgresql://");
    }

    /**
     * The standbys' pool: the primary's pool settings and credentials, on {@link #url}. pgjdbc picks a standby per
     * connection (spread over them), and the primary only when no standby accepts connections.
     */
    public DataSourceFactory dataSource(DataSourceFactory primary) {
        DataSourceFactory read = new DataSourceFactory();
        read.setDriverClass(org.postgresql.Driver.class.getName()); // its own chooser spreads reads over the hosts
        read.setUrl(url);
        read.setUser(primary.getUser());
        read.setPassword(primary.getPassword());
        read.setMaxWaitForConnection(primary.getMaxWaitForConnection());
        read.setInitialSize(primary.getInitialSize());
        read.setMinSize(primary.getMinSize());
        read.setMaxSize(primary.getMaxSize());
        primary.getValidationQuery().ifPresent(read::setValidationQuery);
        primary.getValidationQueryTimeout().ifPresent(read::setValidationQueryTimeout);
        read.setCheckConnectionOnBorrow(primary.getCheckConnectionOnBorrow());
        read.setValidationInterval(primary.getValidationInterval());
        read.setCheckConnectionWhileIdle(primary.getCheckConnectionWhileIdle());
        read.setEvictionInterval(primary.getEvictionInterval());
        Map<String, String> properties = new HashMap<>(primary.getProperties());
        properties.put("targetServerType", "preferSecondary");
        properties.put("loadBalanceHosts", "true");
        properties.put("ApplicationName", primary.getProperties().getOrDefault("ApplicationName", "reviews-api")
                + " reads");
        read.setProperties(properties);
        return read;
    }

    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url == null ? "" : url.trim();
    }

    @JsonProperty
    public Duration getMaxLag() {
        return maxLag;
    }

    @JsonProperty
    public void setMaxLag(Duration maxLag) {
        this.maxLag = maxLag;
    }

    @JsonProperty
    public Duration getMaxWait() {
        return maxWait;
    }

    @JsonProperty
    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    @JsonProperty
    public Duration getCheckInterval() {
        return checkInterval;
    }

    @JsonProperty
    public void setCheckInterval(Duration checkInterval) {
        this.checkInterval = checkInterval;
    }
}
