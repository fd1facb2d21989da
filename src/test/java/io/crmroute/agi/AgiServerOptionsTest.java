package io.crmroute.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgiServerOptionsTest {

    @Test
    void defaults() {
        AgiServerOptions options = AgiServerOptions.defaults("0.0.0.0", 4573, List.of("127.0.0.1/32", "10.0.0.0/8", "::1", "fd00::/8"));
        assertEquals(Duration.ofSeconds(5), options.environmentTimeout());
        assertEquals(Duration.ofMinutes(10), options.sessionTimeout());
        assertEquals(Runtime.getRuntime().availableProcessors(), options.workerThreads());
        assertEquals(new AgiServerOptions.Cidr("::1", 128), AgiServerOptions.parseCidr("::1"));
        assertEquals(new AgiServerOptions.Cidr("10.0.0.0", 8), AgiServerOptions.parseCidr("10.0.0.0/8"));
    }

    @Test
    void badAllowEntriesNameTheValue() {
        assertEquals("allow: 'pbx.example.com' is not an IPv4 or IPv6 address or CIDR", assertThrows(IllegalArgumentException.class,
                () -> AgiServerOptions.defaults("0.0.0.0", 4573, List.of("pbx.example.com"))).getMessage());
        assertEquals("allow: '10.0.0.0/33' prefix: 33 (expected: 0-32)", assertThrows(IllegalArgumentException.class,
                () -> AgiServerOptions.defaults("0.0.0.0", 4573, List.of("10.0.0.0/33"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgiServerOptions.defaults("0.0.0.0", 4573, List.of("10.0.0.0/x")));
        assertThrows(IllegalArgumentException.class, () -> AgiServerOptions.defaults("0.0.0.0", 70000, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> AgiServerOptions.defaults("0.0.0.0", 0, List.of()).withEnvironmentTimeout(Duration.ZERO));
        assertEquals("replyTimeout: PT0S (expected: > 0)", assertThrows(IllegalArgumentException.class,
                () -> AgiServerOptions.defaults("0.0.0.0", 0, List.of()).withReplyTimeout(Duration.ZERO)).getMessage());
    }

    @Test
    void aReplyMayTakeFiveSecondsUnlessConfigured() {
        AgiServerOptions defaults = AgiServerOptions.defaults("0.0.0.0", 0, List.of());
        assertEquals(Duration.ofSeconds(5), defaults.replyTimeout());
        assertEquals(Duration.ofMillis(300), defaults.withReplyTimeout(Duration.ofMillis(300)).replyTimeout());
        assertEquals(defaults.sessionTimeout(), defaults.withReplyTimeout(Duration.ofMillis(300)).sessionTimeout());
    }
}
