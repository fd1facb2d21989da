package io.crmroute.config;

import java.time.Duration;

/**
 * {@code server.http} limits: connections open at once, in all and from one address, and how long a
 * request's head may take from its first byte ({@code max-connections}, {@code
 * max-connections-per-source}, {@code request-head-timeout}).
 */
public record HttpLimits(int maxConnections, int maxConnectionsPerSource, Duration requestHeadTimeout) {

    public static final HttpLimits DEFAULTS = new HttpLimits(256, 32, Duration.ofSeconds(10));
}
