package io.crmroute.crmhttp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How one CRM's hosts are reached: a CA file for a private CA (else the JDK's trust store), an outbound
 * proxy, at most {@code maxConnections} open connections per host, and the backstop for a connection or
 * TLS handshake that nobody cancels (the caller's own deadline normally ends it long before).
 */
public record EndpointSettings(Optional<Path> caFile, Optional<ProxyAddress> proxy, int maxConnections, Duration backstop) {

    /** As many as java.net.http allowed in practice (it had no bound): a burst of calls at once is not queued. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_BACKSTOP = Duration.ofSeconds(70);
    public static final EndpointSettings DEFAULT =
            new EndpointSettings(Optional.empty(), Optional.empty(), DEFAULT_MAX_CONNECTIONS, DEFAULT_BACKSTOP);

    public EndpointSettings {
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be positive");
        if (backstop.isNegative() || backstop.isZero()) throw new IllegalArgumentException("backstop must be positive");
    }

    public EndpointSettings withCaFile(Path file) {
        return new EndpointSettings(Optional.of(file), proxy, maxConnections, backstop);
    }

    public EndpointSettings withProxy(ProxyAddress address) {
        return new EndpointSettings(caFile, Optional.of(address), maxConnections, backstop);
    }

    public EndpointSettings withMaxConnections(int max) {
        return new EndpointSettings(caFile, proxy, max, backstop);
    }
}
