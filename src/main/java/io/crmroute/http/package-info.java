/**
 * The HTTP port: a small Netty HTTP/1.1 server ({@link io.crmroute.http.HttpServer}) that serves an
 * {@link io.crmroute.http.HttpRouting} built from {@link io.crmroute.http.HttpService}s: health
 * ({@link io.crmroute.http.HealthService} over {@link io.crmroute.http.HealthIndicator}s), metrics
 * ({@link io.crmroute.http.MetricsService} over {@link io.crmroute.http.Metrics#newRegistry()}) and the
 * admin API, each mapping its paths to handler methods; {@link io.crmroute.http.BearerAuth} guards the
 * admin handlers. Handlers run on the one worker event loop and answer with futures, so none may block.
 */
package io.crmroute.http;
