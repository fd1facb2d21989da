package io.crmroute.agi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link AgiServer} listens. {@code allow} lists source ranges ({@code 10.0.0.0/8},
 * {@code 127.0.0.1/32}, {@code ::1/128}; a bare address means that one host; see {@link Cidr}), held
 * normalised. FastAGI has no authentication, so the allowlist is its only guard: it must not be empty,
 * and letting everyone in takes {@code 0.0.0.0/0} and {@code ::/0} written out. Validated here, once.
 *
 * @param environmentTimeout      how long a new connection may take to send its whole environment block
 * @param sessionTimeout          how long a call may last at most, whatever its handler does
 * @param workerThreads           event loop threads serving the connections
 * @param backlog                 connections the kernel may queue before they are accepted (Linux caps it
 *                                at {@code net.core.somaxconn}; the server warns when it does)
 * @param maxConnectionsPerSource connections one source address may hold open; more are closed at once
 * @param maxConnections          connections all sources together may hold open; more are closed at once
 * @param replyTimeout            how long Asterisk may take to answer a command beyond the time the command
 *                                itself may wait on the caller; see {@link ReplyDeadline} for the rule per command
 */
public record AgiServerOptions(String host, int port, List<String> allow, Duration environmentTimeout,
        Duration sessionTimeout, int workerThreads, int backlog, int maxConnectionsPerSource, int maxConnections, Duration replyTimeout) {

    public static final Duration DEFAULT_ENVIRONMENT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofMinutes(10);
    /** Above a 3,000-call burst arriving at once. */
    public static final int DEFAULT_BACKLOG = 4096;
    /** Asterisk's own address makes every call: generous, it only stops one source holding everything. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 5000;
    public static final int DEFAULT_MAX_CONNECTIONS = 20000;
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(5);

    public AgiServerOptions {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        allow = allow.stream().map(range -> Cidr.parse(range).toString()).toList();
        if (allow.isEmpty()) {
            throw new IllegalArgumentException("allow: empty, nobody could connect (list the Asterisk servers,"
                    + " or 0.0.0.0/0 and ::/0 to let everyone in)");
        }
        requirePositive("environmentTimeout", environmentTimeout);
        requirePositive("sessionTimeout", sessionTimeout);
        requireAtLeastOne("workerThreads", workerThreads);
        requireAtLeastOne("backlog", backlog);
        requireAtLeastOne("maxConnectionsPerSource", maxConnectionsPerSource);
        requireAtLeastOne("maxConnections", maxConnections);
        requirePositive("replyTimeout", replyTimeout);
    }

    /**
     * Five seconds for the environment, ten minutes a call, one worker per processor, a backlog of
     * {@value #DEFAULT_BACKLOG}, {@value #DEFAULT_MAX_CONNECTIONS_PER_SOURCE} connections per source and
     * {@value #DEFAULT_MAX_CONNECTIONS} in all, five seconds a reply.
     */
    public static AgiServerOptions defaults(String host, int port, List<String> allow) {
        return new AgiServerOptions(host, port, allow, DEFAULT_ENVIRONMENT_TIMEOUT, DEFAULT_SESSION_TIMEOUT,
                Runtime.getRuntime().availableProcessors(), DEFAULT_BACKLOG, DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_REPLY_TIMEOUT);
    }

    public AgiServerOptions withEnvironmentTimeout(Duration timeout) {
        return new AgiServerOptions(host, port, allow, timeout, sessionTimeout, workerThreads, backlog,
                maxConnectionsPerSource, maxConnections, replyTimeout);
    }

    public AgiServerOptions withSessionTimeout(Duration timeout) {
        return new AgiServerOptions(host, port, allow, environmentTimeout, timeout, workerThreads, backlog,
                maxConnectionsPerSource, maxConnections, replyTimeout);
    }

    public AgiServerOptions withWorkerThreads(int threads) {
        return new AgiServerOptions(host, port, allow, environmentTimeout, sessionTimeout, threads, backlog,
                maxConnectionsPerSource, maxConnections, replyTimeout);
    }

    public AgiServerOptions withBacklog(int connections) {
        return new AgiServerOptions(host, port, allow, environmentTimeout, sessionTimeout, workerThreads, connections,
                maxConnectionsPerSource, maxConnections, replyTimeout);
    }

    public AgiServerOptions withConnectionLimits(int perSource, int total) {
        return new AgiServerOptions(host, port, allow, environmentTimeout, sessionTimeout, workerThreads, backlog,
                perSource, total, replyTimeout);
    }

    public AgiServerOptions withReplyTimeout(Duration timeout) {
        return new AgiServerOptions(host, port, allow, environmentTimeout, sessionTimeout, workerThreads, backlog,
                maxConnectionsPerSource, maxConnections, timeout);
    }

    /** The allowlist as ranges. */
    public List<Cidr> allowRanges() {
        return allow.stream().map(Cidr::parse).toList();
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
