/**
 * The HTTP port: a small Netty HTTP/1.1 server ({@link io.crmroute.http.HttpServer}) that serves an
 * {@link io.crmroute.http.HttpRouting} built from {@link io.crmroute.http.HttpService}s: health
 * ({@link io.crmroute.http.HealthService} over {@link io.crmroute.http.HealthIndicator}s), metrics
 * ({@link io.crmroute.http.MetricsService} over {@link io.crmroute.http.Metrics#newRegistry()}) and the
 * admin API, each mapping its paths to handler methods; {@link io.crmroute.http.BearerAuth} guards the
 * admin handlers and locks out a source that keeps guessing ({@link io.crmroute.http.AuthFailures}).
 * Handlers run on the port's own worker event loop, apart from FastAGI's, and answer with futures, so
 * none may block. What a peer may hold is bounded ({@link io.crmroute.http.HttpServerOptions}):
 * connections in all and per source, time to send a request head and body, time to take an answer,
 * and one answer in memory per connection, since a connection is read again only once it is answered.
 */
package io.crmroute.http;
