package com.atelier.reviews.server.metrics;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.AdminEnvironment;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.servlet.jakarta.exporter.MetricsServlet;

/** Every Dropwizard metric (endpoints, JVM, Jetty, DB pool, caches) in Prometheus text format at admin /prometheus. */
public final class PrometheusServlet {

    public static final String PATH = "/prometheus";

    private PrometheusServlet() {
    }

    public static void register(AdminEnvironment admin, MetricRegistry metrics) {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new DropwizardExports(metrics));
        admin.addServlet("prometheus", new MetricsServlet(registry)).addMapping(PATH);
    }
}
