package io.crmroute.agi;

import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link AgiServer} listens. {@code allow} lists source CIDRs ({@code 10.0.0.0/8},
 * {@code 127.0.0.1/32}, {@code ::1/128}; a bare address means that one host); empty lets everyone in.
 * FastAGI has no authentication, so the allowlist is its only guard. Validated here, once.
 *
 * @param environmentTimeout how long a new connection may take to send its whole environment block
 * @param sessionTimeout     how long a call may last at most, whatever its handler does
 * @param workerThreads      event loop threads serving the connections
 * @param replyTimeout       how long Asterisk may take to answer a command beyond the time the command
 *                           itself may wait on the caller; see {@link ReplyDeadline} for the rule per command
 */
public record AgiServerOptions(String host, int port, List<String> allow, Duration environmentTimeout,
        Duration sessionTimeout, int workerThreads, Duration replyTimeout) {

    public static final Duration DEFAULT_ENVIRONMENT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(5);

    public AgiServerOptions {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        allow = List.copyOf(allow);
        allow.forEach(AgiServerOptions::parseCidr);
        requirePositive("environmentTimeout", environmentTimeout);
        requirePositive("sessionTimeout", sessionTimeout);
        if (workerThreads < 1) throw new IllegalArgumentException("workerThreads: " + workerThreads + " (expected: >= 1)");
        requirePositive("replyTimeout", replyTimeout);
    }

    /** Five seconds for the environment, ten minutes a call, one worker per processor, five seconds a reply. */
    public static AgiServerOptions defaults(String host, int port, List<String> allow) {
        return new AgiServerOptions(host, port, allow, DEFAULT_ENVIRONMENT_TIMEOUT, DEFAULT_SESSION_TIMEOUT,
                Runtime.getRuntime().availableProcessors(), DEFAULT_REPLY_TIMEOUT);
    }

    public AgiServerOptions withEnvironmentTimeout(Duration timeout) {
        return new AgiServerOptions(host, port, allow, timeout, sessionTimeout, workerThreads, replyTimeout);
    }

    public AgiServerOptions withSessionTimeout(Duration timeout) {
        return new AgiServerOptions(host, port, allow, environmentTimeout, timeout, workerThreads, replyTimeout);
    }

    public AgiServerOptions withWorkerThreads(int threads) {
        return new AgiServerOptions(host, port, allow, environmentTimeout, sessionTimeout, threads, replyTimeout);
    }

    public AgiServerOptions withReplyTimeout(Duration timeout) {
        return new AgiServerOptions(host, port, allow, environmentTimeout, sessionTimeout, workerThreads, timeout);
    }

    /** {@code address/prefix} split and checked; the address must be a literal, never a name to resolve. */
    static Cidr parseCidr(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        boolean v4 = NetUtil.isValidIpV4Address(address);
        if (!v4 && !NetUtil.isValidIpV6Address(address)) {
            throw new IllegalArgumentException("allow: '" + cidr + "' is not an IPv4 or IPv6 address or CIDR");
        }
        int maxPrefix = v4 ? 32 : 128;
        int prefix;
        try {
            prefix = slash < 0 ? maxPrefix : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("allow: '" + cidr + "' has a bad prefix length");
        }
        if (prefix < 0 || prefix > maxPrefix) {
            throw new IllegalArgumentException("allow: '" + cidr + "' prefix: " + prefix + " (expected: 0-" + maxPrefix + ")");
        }
        return new Cidr(address, prefix);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    record Cidr(String address, int prefix) {}
}
