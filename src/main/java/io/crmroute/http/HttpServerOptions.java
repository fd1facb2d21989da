package io.crmroute.http;

import java.time.Duration;

/**
 * What one HTTP port lets its peers hold. Memory per connection is bounded because a connection's next
 * request is read only once the previous response has been written: at most one response waits in
 * its outbound buffer, all of them together at most {@code totalWriteBuffer} bytes.
 *
 * @param maxConnections          connections open at once; more are closed as they come
 * @param maxConnectionsPerSource connections open at once from one IP address
 * @param requestHeadTimeout      time from a request's first byte to the end of its head; not reset by
 *                                each byte, so a peer dribbling a header cannot hold the connection
 * @param requestBodyTimeout      time from the end of a head to the end of its body
 * @param idleTimeout             a connection with no traffic either way for this long is closed
 * @param writeTimeout            a response the peer does not take within this long closes the connection
 * @param writeBufferHighWaterMark outbound bytes past which a connection counts as unwritable
 * @param totalWriteBuffer        response bytes waiting to be written, summed over all connections; a
 *                                connection whose response does not fit is closed
 */
public record HttpServerOptions(int maxConnections, int maxConnectionsPerSource, Duration requestHeadTimeout,
                                Duration requestBodyTimeout, Duration idleTimeout, Duration writeTimeout,
                                int writeBufferHighWaterMark, long totalWriteBuffer) {

    public static final int MAX_CONNECTIONS = 256;
    public static final int MAX_CONNECTIONS_PER_SOURCE = 32;
    public static final Duration REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);

    public HttpServerOptions {
        if (maxConnections < 1 || maxConnectionsPerSource < 1) throw new IllegalArgumentException("connection limits must be at least 1");
        if (writeBufferHighWaterMark < 1 || totalWriteBuffer < 1) throw new IllegalArgumentException("write buffers must be at least 1 byte");
    }

    public static HttpServerOptions defaults() {
        return new HttpServerOptions(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_SOURCE, REQUEST_HEAD_TIMEOUT, Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(30), 64 * 1024, 64L * 1024 * 1024);
    }

    /** These options with the limits the config can set ({@code server.http.*}). */
    public HttpServerOptions withLimits(int maxConnections, int maxConnectionsPerSource, Duration requestHeadTimeout) {
        return new HttpServerOptions(maxConnections, maxConnectionsPerSource, requestHeadTimeout, requestBodyTimeout,
                idleTimeout, writeTimeout, writeBufferHighWaterMark, totalWriteBuffer);
    }
}
