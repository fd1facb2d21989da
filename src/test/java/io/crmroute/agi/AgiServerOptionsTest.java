package io.crmroute.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgiServerOptionsTest {

    private static final List<String> LOOPBACK = List.of("127.0.0.1/32");

    @Test
    void defaults() {
        AgiServerOptions options = AgiServerOptions.defaults("0.0.0.0", 4573, List.of("127.0.0.1/32", "10.0.0.0/8", "::1", "fd00::/8"));
        assertEquals(Duration.ofSeconds(5), options.environmentTimeout());
        assertEquals(Duration.ofMinutes(10), options.sessionTimeout());
        assertEquals(Runtime.getRuntime().availableProcessors(), options.workerThreads());
        assertEquals(4096, options.backlog());
        assertEquals(5000, options.maxConnectionsPerSource());
        assertEquals(20000, options.maxConnections());
        assertEquals(List.of("127.0.0.1/32", "10.0.0.0/8", "::1/128", "fd00::/8"), options.allow());
        assertEquals(List.of(new Cidr("127.0.0.1", 32), new Cidr("10.0.0.0", 8), new Cidr("::1", 128), new Cidr("fd00::", 8)),
                options.allowRanges());
    }

    @Test
    void ipv4MappedEntriesAreHeldAsTheirIpv4Range() {
        assertEquals(List.of("127.0.0.1/32", "0.0.0.0/0"),
                AgiServerOptions.defaults("0.0.0.0", 4573, List.of("::ffff:127.0.0.1/128", "::ffff:0:0/96")).allow());
    }

    @Test
    void anEmptyAllowlistIsRefusedNotOpen() {
        assertEquals("allow: empty, nobody could connect (list the Asterisk servers, or 0.0.0.0/0 and ::/0 to let everyone in)",
                assertThrows(IllegalArgumentException.class, () -> AgiServerOptions.defaults("0.0.0.0", 4573, List.of())).getMessage());
    }

    @Test
    void limitsAreSetTogetherAndMustBePositive() {
        AgiServerOptions options = AgiServerOptions.defaults("0.0.0.0", 4573, LOOPBACK).withBacklog(8192).withConnectionLimits(3, 10);
        assertEquals(8192, options.backlog());
        assertEquals(3, options.maxConnectionsPerSource());
        assertEquals(10, options.maxConnections());
        assertThrows(IllegalArgumentException.class, () -> options.withBacklog(0));
        assertThrows(IllegalArgumentException.class, () -> options.withConnectionLimits(0, 10));
        assertThrows(IllegalArgumentException.class, () -> options.withConnectionLimits(3, 0));
    }

    @Test
    void badAllowEntriesNameTheValue() {
        assertEquals("allow: 'pbx.example.com' is not an IPv4 or IPv6 address or CIDR", assertThrows(IllegalArgumentException.class,
                () -> AgiServerOptions.defaults("0.0.0.0", 4573, List.of("pbx.example.com"))).getMessage());
        assertEquals("allow: '10.0.0.0/33' prefix: 33 (expected: 0-32)", assertThrows(IllegalArgumentException.class,
                () -> AgiServerOptions.defaults("0.0.0.0", 4573, List.of("10.0.0.0/33"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgiServerOptions.defaults("0.0.0.0", 4573, List.of("10.0.0.0/x")));
        assertThrows(IllegalArgumentException.class, () -> AgiServerOptions.defaults("0.0.0.0", 70000, LOOPBACK));
        assertThrows(IllegalArgumentException.class,
                () -> AgiServerOptions.defaults("0.0.0.0", 0, LOOPBACK).withEnvironmentTimeout(Duration.ZERO));
        assertEquals("replyTimeout: PT0S (expected: > 0)", assertThrows(IllegalArgumentException.class,
                () -> AgiServerOptions.defaults("0.0.0.0", 0, LOOPBACK).withReplyTimeout(Duration.ZERO)).getMessage());
    }

    @Test
    void aReplyMayTakeFiveSecondsUnlessConfigured() {
        AgiServerOptions defaults = AgiServerOptions.defaults("0.0.0.0", 0, LOOPBACK);
        assertEquals(Duration.ofSeconds(5), defaults.replyTimeout());
        assertEquals(Duration.ofMillis(300), defaults.withReplyTimeout(Duration.ofMillis(300)).replyTimeout());
        assertEquals(defaults.sessionTimeout(), defaults.withReplyTimeout(Duration.ofMillis(300)).sessionTimeout());
    }
}
