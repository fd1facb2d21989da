package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.http}: what the HTTP port lets its peers hold. */
class HttpLimitsConfigTest {

    @TempDir
    Path dir;

    @Test
    void limitsDefaultWhenNotSet() {
        assertEquals(HttpLimits.DEFAULTS, parse("routes: {}\n").server().httpLimits());
        assertEquals(new HttpLimits(256, 32, Duration.ofSeconds(10)), HttpLimits.DEFAULTS);
    }

    @Test
    void limitsAreRead() {
        ServerSettings server = parse("""
                server:
                  http: { port: 0, max-connections: 64, max-connections-per-source: 4, request-head-timeout: 3s }
                routes: {}
                """).server();
        assertEquals(new HttpLimits(64, 4, Duration.ofSeconds(3)), server.httpLimits());
        assertEquals(0, server.httpPort());
    }

    @Test
    void badLimitsNameTheirKey() {
        List<String> problems = ConfigLoader.parse("""
                server:
                  http: { max-connections: 0, request-head-timeout: 1d }
                routes: {}
                """, dir, Map.of()).problems().stream().map(ConfigProblem::toString).toList();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("server.http.max-connections (line 2): \"0\""), problems.get(0));
        assertTrue(problems.get(1).startsWith("server.http.request-head-timeout (line 2): \"1d\""), problems.get(1));
    }

    private ConfigResult parse(String yaml) {
        ConfigResult result = ConfigLoader.parse(yaml, dir, Map.of());
        assertEquals(List.of(), result.problems());
        return result;
    }
}
