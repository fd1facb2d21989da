/**
 * The HTTP port: a small Netty HTTP/1.1 server ({@link io.crmroute.http.HttpServer}) that serves an
 * {@link io.crmroute.http.HttpRouting} built from {@link io.crmroute.http.HttpService}s: health,
 * metrics and the admin API, each mapping its paths to handler methods.
 */
package io.crmroute.http;
