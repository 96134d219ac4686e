package com.atelier.reviews.server;

import com.atelier.reviews.db.ConnectionSettings;
import com.atelier.reviews.db.Migrations;
import com.atelier.reviews.server.auth.AccessGate;
import com.atelier.reviews.server.auth.ApiKeys;
import com.atelier.reviews.server.auth.AuthConfiguration;
import com.atelier.reviews.server.auth.AuthFilter;
import com.atelier.reviews.server.auth.KeyMetrics;
import com.atelier.reviews.server.auth.KeyRateLimits;
import com.atelier.reviews.server.cache.CacheConfiguration;
import com.atelier.reviews.server.cache.CacheLease;
import com.atelier.reviews.server.cache.ChangeFeed;
import com.atelier.reviews.server.cache.ChangePositions;
import com.atelier.reviews.server.cache.ReviewCaches;
import com.atelier.reviews.server.cache.ReviewJson;
import com.atelier.reviews.server.cli.KeysCommand;
import com.atelier.reviews.server.cli.MigrateCommand;
import com.atelier.reviews.server.core.IdempotencyKeys;
import com.atelier.reviews.server.core.LegacyJson;
import com.atelier.reviews.server.core.ModerationQueue;
import com.atelier.reviews.server.core.ReviewReader;
import com.atelier.reviews.server.core.ReviewWriter;
import com.atelier.reviews.server.cors.CorsConfiguration;
import com.atelier.reviews.server.db.IdempotencyDao;
import com.atelier.reviews.server.db.ParsedOnceTemplateEngine;
import com.atelier.reviews.server.db.ReviewWriteDao;
import com.atelier.reviews.server.db.StandbyDao;
import com.atelier.reviews.server.errors.ApiExceptionMapper;
import com.atelier.reviews.server.errors.DatabaseUnavailableExceptionMapper;
import com.atelier.reviews.server.errors.InvalidProductIdExceptionMapper;
import com.atelier.reviews.server.errors.JsonErrorHandler;
import com.atelier.reviews.server.errors.ParamExceptionMapper;
import com.atelier.reviews.server.errors.WebApplicationExceptionMapper;
import com.atelier.reviews.server.health.OutOfRotationFilter;
import com.atelier.reviews.server.input.ContentTypeFilter;
import com.atelier.reviews.server.input.JsonBodyExceptionMapper;
import com.atelier.reviews.server.input.JsonBodyGuard;
import com.atelier.reviews.server.input.RequestBodyLimitFilter;
import com.atelier.reviews.server.input.RequestParamsFilter;
import com.atelier.reviews.server.metrics.PrometheusServlet;
import com.atelier.reviews.server.replicas.ReadsHealthCheck;
import com.atelier.reviews.server.replicas.ReplicaReads;
import com.atelier.reviews.server.replicas.ReplicasConfiguration;
import com.atelier.reviews.server.replicas.StandbyMonitor;
import com.atelier.reviews.server.resources.EncodedJsonWriter;
import com.atelier.reviews.server.resources.ModerationResource;
import com.atelier.reviews.server.resources.PlainReadFilter;
import com.atelier.reviews.server.resources.ReviewsResource;
import com.atelier.reviews.server.warmup.Warmup;
import com.atelier.reviews.server.warmup.WarmupConfiguration;
import com.atelier.reviews.server.warmup.WarmupPass;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.health.DefaultHealthFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.servlets.CrossOriginFilter;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.ExtensionFactory;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumSet;

/** Composition root: builds the DAOs, caches and services and hands them to the resource (no DI container). */
public class ReviewsApplication extends Application<ReviewsConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewsApplication.class);
    /** Health check names (config.yml says which are critical). */
    static final String PRIMARY_CHECK = "postgresql";
    static final String STANDBYS_CHECK = "postgresql-standbys";
    static final String READS_CHECK = "reads";
    /** The health check that is down until the warm-up is over; config.yml's health: block makes it critical. */
    static final String WARMUP_CHECK = "warmup";

    public static void main(String[] args) throws Exception {
        new ReviewsApplication().run(args);
    }

    @Override
    public String getName() {
        return "atelier-reviews";
    }

    @Override
    public void initialize(Bootstrap<ReviewsConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        LegacyJson.configure(bootstrap.getObjectMapper());
        bootstrap.addCommand(new MigrateCommand());
        bootstrap.addCommand(new KeysCommand.Create());
        bootstrap.addCommand(new KeysCommand.Import());
        bootstrap.addCommand(new KeysCommand.ListKeys());
        bootstrap.addCommand(new KeysCommand.Revoke());
    }

    @Override
    public void run(ReviewsConfiguration config, Environment environment) {
        ConnectionSettings database = connectionSettings(config);
        if (config.isMigrateOnStart()) {
            Migrations.migrate(database);
        }
        Jdbi jdbi = buildJdbi(environment, config.getDatabase(), PRIMARY_CHECK);

        CacheConfiguration cacheConfig = config.getCache();
        CacheLease lease = new CacheLease(cacheConfig.getLease().toJavaDuration());
        ReviewCaches caches = new ReviewCaches(cacheConfig, lease, environment.metrics());
        ChangePositions positions = new ChangePositions();
        ChangeFeed feed = new ChangeFeed(database, caches, lease, positions,
                cacheConfig.getPollInterval().toJavaDuration(), cacheConfig.getChangeRetention().toJavaDuration(),
                environment.metrics());
        ReplicaReads reads = replicaReads(config, environment, jdbi, lease, positions, feed);
        AuthConfiguration auth = config.getAuth();
        ApiKeys apiKeys = new ApiKeys(jdbi, auth.getRefreshInterval().toJavaDuration(),
                auth.getLastUsedFlushInterval().toJavaDuration());
        feed.onKeysChanged(apiKeys::reloadSoon);
        environment.lifecycle().manage(caches);
        environment.lifecycle().manage(apiKeys); // before the feed, whose first poll asks it to reload
        environment.lifecycle().manage(feed);
        environment.healthChecks().register("change-feed", feed.healthCheck());
        PrometheusServlet.register(environment.admin(), environment.metrics());
        WarmupConfiguration warmupConfig = config.getWarmup();
        WarmupPass warmupPass = warmupConfig.isEnabled() ? WarmupPass.open() : WarmupPass.closed();
        Warmup warmup = new Warmup(warmupConfig, warmupPass, jdbi, caches, environment.metrics());
        startsUnhealthyWhileWarming(config, warmupConfig.isEnabled());
        environment.healthChecks().register(WARMUP_CHECK, warmup.healthCheck());
        environment.lifecycle().addServerLifecycleListener(warmup);
        if (config.isOutOfRotationWhenUnhealthy()) {
            environment.servlets().addFilter("out-of-rotation",
                            new OutOfRotationFilter(environment.health(), config.getRetryAfterSeconds(),
                                    environment.getObjectMapper(), warmupPass))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/reviews/*", "/reviews");
        }

        registerInputLimits(environment, config.getCors());

        // The same mapper Jersey writes every other answer with, so cached bytes are what it would have written.
        ReviewReader reader = new ReviewReader(reads, caches, new ReviewJson(environment.getObjectMapper()),
                config.getCache().getMaxReviewsPerProduct());
        IdempotencyKeys keys = new IdempotencyKeys(jdbi, config.getIdempotency().getRetention().toJavaDuration(),
                config.getIdempotency().getPruneInterval().toJavaDuration());
        environment.lifecycle().manage(keys);
        ReviewWriter writer = new ReviewWriter(jdbi, caches, keys, Clock.systemUTC());
        ReviewsResource reviews = new ReviewsResource(reader, writer);
        environment.jersey().register(reviews);
        environment.jersey().register(new EncodedJsonWriter());
        environment.jersey().register(new ModerationResource(new ModerationQueue(jdbi), writer));
        KeyMetrics keyMetrics = new KeyMetrics(environment.metrics());
        AccessGate gate = new AccessGate(apiKeys, auth.isRequired(),
                new KeyRateLimits(auth.getRateLimitPerSecond(), auth.getRateLimitBurst()), keyMetrics, warmupPass);
        environment.jersey().register(new AuthFilter(gate, keyMetrics));
        DatabaseUnavailableExceptionMapper databaseErrors =
                new DatabaseUnavailableExceptionMapper(config.getRetryAfterSeconds());
        // After the application's other filters (isMatchAfter): CORS, the input limits and out-of-rotation run first.
        environment.servlets().addFilter("plain-reads", new PlainReadFilter(reader, gate, reviews, databaseErrors,
                        environment.getObjectMapper(), environment.metrics()))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/reviews", "/reviews/meta");
        LOG.info("API keys {}", auth.isRequired() ? "required (auth.required)"
                : "optional: auth.required is off, anyone may call every endpoint");

        // Our mappers replace Dropwizard's defaults (server.registerDefaultExceptionMappers: false).
        environment.jersey().register(new ApiExceptionMapper());
        environment.jersey().register(new InvalidProductIdExceptionMapper());
        environment.jersey().register(new ParamExceptionMapper());
        environment.jersey().register(new JsonBodyExceptionMapper());
        environment.jersey().register(new WebApplicationExceptionMapper());
        environment.jersey().register(databaseErrors);
        environment.jersey().register(new EarlyEofExceptionMapper());
        environment.jersey().register(new LoggingExceptionMapper<Throwable>() { });

        registerCors(config.getCors(), environment); // last: see why there
    }

    /**
     * Cache-miss reads: from the standbys at {@code replicas.url} when set (their own pool, health check
     * {@value #STANDBYS_CHECK} and metrics, one lag monitor per standby), else from the primary. The critical health
     * check {@value #READS_CHECK} holds while either can answer.
     */
    private static ReplicaReads replicaReads(ReviewsConfiguration config, Environment environment, Jdbi primary,
                                             CacheLease lease, ChangePositions positions, ChangeFeed feed) {
        ReplicasConfiguration replicas = config.getReplicas();
        if (!replicas.isConfigured()) {
            environment.healthChecks().register(READS_CHECK,
                    new ReadsHealthCheck(environment.healthChecks(), PRIMARY_CHECK, null));
            return new ReplicaReads(primary, environment.metrics());
        }
        DataSourceFactory readSource = replicas.dataSource(config.getDatabase());
        Jdbi standbys = buildJdbi(environment, readSource, STANDBYS_CHECK);
        ConnectionSettings standbyUrl = new ConnectionSettings(readSource.getUrl(), readSource.getUser(),
                readSource.getPassword());
        for (ConnectionSettings standby : standbyUrl.eachHost()) {
            StandbyMonitor monitor = new StandbyMonitor(standby, positions, replicas, environment.metrics());
            environment.lifecycle().manage(monitor);
            environment.healthChecks().register(monitor.name(), monitor.healthCheck());
        }
        environment.healthChecks().register(READS_CHECK,
                new ReadsHealthCheck(environment.healthChecks(), PRIMARY_CHECK, STANDBYS_CHECK));
        LOG.info("cache-miss reads from the standbys at {} when they have the data, else from the primary",
                readSource.getUrl());
        return new ReplicaReads(primary, standbys, lease, positions, feed::following, replicas, environment.metrics());
    }

    private static Jdbi buildJdbi(Environment environment, DataSourceFactory source, String name) {
        Jdbi jdbi = new JdbiFactory().build(environment, source, name);
        jdbi.installPlugin(new PostgresPlugin());
        jdbi.getConfig(SqlStatements.class).setTemplateEngine(new ParsedOnceTemplateEngine());
        primeDaoMetadata(jdbi, ReviewWriteDao.class, IdempotencyDao.class, StandbyDao.class);
        return jdbi;
    }

    /**
     * CORS on every path of the application port (browser-direct front ends). A filter mapped with
     * {@code isMatchAfter=false} is put before those mapped so earlier, so, registered last, this one runs first:
     * a preflight is answered here, before the input limits, the out-of-rotation filter, Jersey or the database, and
     * every error those answer carries Access-Control-Allow-Origin (CorsTest checks both).
     */
    private static void registerCors(CorsConfiguration cors, Environment environment) {
        FilterRegistration.Dynamic filter = environment.servlets().addFilter("cors", new CrossOriginFilter());
        filter.setInitParameters(cors.filterParameters());
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }

    /**
     * Bad input is refused at the outermost layer that can judge it, always as the contract's JSON error: the body
     * size before anything reads it, parameters and JSON syntax before binding, and Jetty's own errors (bad URI,
     * headers too large) through a JSON error handler instead of its HTML page.
     */
    private static void registerInputLimits(Environment environment, CorsConfiguration cors) {
        LegacyJson.strictTypes(environment.getObjectMapper());
        environment.servlets().addFilter("request-body-limit", new RequestBodyLimitFilter(environment.getObjectMapper()))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment.servlets().addFilter("content-type", new ContentTypeFilter(environment.getObjectMapper()))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment.jersey().register(new RequestParamsFilter());
        environment.jersey().register(new JsonBodyGuard());
        // A request Jetty could not parse never reaches the CORS filter: its error says "*" if any origin may read it.
        String anyOrigin = cors.allowsAnyOrigin() ? "*" : null;
        environment.getApplicationContext()
                .setErrorHandler(new JsonErrorHandler(environment.getObjectMapper(), anyOrigin));
        // Before the server starts, so that even the first malformed request is answered in JSON.
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    // Jetty answers parse errors with the first ErrorHandler bean, and Dropwizard added its own.
                    server.getBeans(ErrorHandler.class).forEach(server::removeBean);
                    server.setErrorHandler(new JsonErrorHandler(environment.getObjectMapper(), anyOrigin));
                }
            }
        });
    }

    /**
     * JDBI builds a DAO's metadata (reflection over all its methods and annotations) into the configuration it is
     * attached with, and every Handle works on a copy of the Jdbi's: built here once, each Handle inherits it instead
     * of rebuilding it on every request.
     */
    private static void primeDaoMetadata(Jdbi jdbi, Class<?>... daos) {
        Extensions extensions = jdbi.getConfig(Extensions.class);
        ExtensionFactory sqlObjects = extensions.findFactory(SqlObjectFactory.class).orElseThrow();
        for (Class<?> dao : daos) {
            extensions.findMetadata(dao, sqlObjects);
        }
    }

    /**
     * The {@code warmup} check of config.yml's {@code health:} block starts unhealthy when there is a warm-up to do,
     * healthy otherwise (no window where a node without warm-up looks down). Dropwizard has built its health manager
     * from these configuration objects already, and reads the initial state only when the check is registered.
     */
    private static void startsUnhealthyWhileWarming(ReviewsConfiguration config, boolean warming) {
        if (config.getHealthFactory().orElse(null) instanceof DefaultHealthFactory health) {
            health.getHealthCheckConfigurations().stream()
                    .filter(check -> WARMUP_CHECK.equals(check.getName()))
                    .forEach(check -> check.setInitialState(!warming));
        }
    }

    /** The database settings, accepting a libpq-style DATABASE_URL too (normalized into the factory). */
    public static ConnectionSettings connectionSettings(ReviewsConfiguration config) {
        DataSourceFactory factory = config.getDatabase();
        ConnectionSettings settings = ConnectionSettings.parse(factory.getUrl(), factory.getUser(), factory.getPassword());
        factory.setUrl(settings.jdbcUrl());
        factory.setUser(settings.user());
        factory.setPassword(settings.password());
        return settings;
    }
}
