package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerAndDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void everythingUnderServerIsOptional() {
        assertEquals(new ServerSettings("0.0.0.0", 4573, List.of("127.0.0.1/32", "::1/128"), "127.0.0.1", 8080), load("routes: {}\n").server());
        assertEquals(4573, load("server:\n  http: { port: 0 }\n").server().agiPort());
        assertEquals(0, load("server:\n  http: { port: 0 }\n").server().httpPort());
    }

    @Test
    void allowTakesIpv4AndIpv6RangesAndBareAddresses() {
        ServerSettings server = load("server:\n  agi:\n    host: 127.0.0.1\n    port: 0\n"
                + "    allow: [10.0.0.0/8, 192.0.2.7, \"2001:db8::/32\", \"fe80::1\", 0.0.0.0/0]\n").server();
        assertEquals(List.of("10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32", "fe80::1/128", "0.0.0.0/0"), server.agiAllow());
        assertEquals("127.0.0.1", server.agiHost());
        assertEquals(0, server.agiPort());
    }

    @Test
    void badRangesPortsAndKeysAreProblems() {
        List<String> problems = problems("server:\n  agi:\n    port: 70000\n"
                + "    allow: [256.0.0.1/8, 10.0.0.0/x, \"2001:db8::/129\", example.com, 10.0.0.1/32]\n  web: {}\n");
        assertEquals(List.of(
                "server.agi.port (line 3): \"70000\": expected a whole number from 0 to 65535",
                "server.agi.allow[0] (line 4): \"256.0.0.1/8\": " + ServerReader.CIDR_EXPECTED,
                "server.agi.allow[1] (line 4): \"10.0.0.0/x\": " + ServerReader.CIDR_EXPECTED,
                "server.agi.allow[2] (line 4): \"2001:db8::/129\": " + ServerReader.CIDR_EXPECTED,
                "server.agi.allow[3] (line 4): \"example.com\": " + ServerReader.CIDR_EXPECTED,
                "server.web (line 5): unknown key \"web\" (expected one of: agi, data-dir, drain-timeout, heartbeat, http, outbox-lease, outbox-poll)"), problems);
    }

    @Test
    void nodeNamesThisNodeAndHeartbeatSaysHowOftenItBeats() {
        ServerSettings named = load("node: pbx-a.1\nserver:\n  heartbeat: 2s\n").server();
        assertEquals(Optional.of("pbx-a.1"), named.node());
        assertEquals(Duration.ofSeconds(2), named.heartbeat());
        ServerSettings unnamed = load("routes: {}\n").server();
        assertEquals(Optional.empty(), unnamed.node());
        assertEquals(Duration.ofSeconds(5), unnamed.heartbeat());
        assertEquals(List.of("node (line 1): \"a b\": " + ServerReader.NODE_EXPECTED), problems("node: a b\n"));
        assertEquals(1, problems("server:\n  heartbeat: 0s\n").size(), "a heartbeat of zero");
    }

    @Test
    void theOutboxLeaseAndPollHaveDefaultsAndBounds() {
        ServerSettings set = load("server:\n  outbox-lease: 10s\n  outbox-poll: 250ms\n").server();
        assertEquals(Duration.ofSeconds(10), set.outboxLease());
        assertEquals(Duration.ofMillis(250), set.outboxPoll());
        ServerSettings defaults = load("routes: {}\n").server();
        assertEquals(Duration.ofSeconds(30), defaults.outboxLease());
        assertEquals(Duration.ofSeconds(1), defaults.outboxPoll());
        assertEquals(1, problems("server:\n  outbox-lease: 11m\n").size(), "a lease past its maximum");
        assertEquals(1, problems("server:\n  outbox-poll: 0s\n").size(), "a poll of zero");
    }

    @Test
    void anEmptyAllowlistIsAProblemNotAnOpenPort() {
        assertEquals(List.of("server.agi.allow (line 2): " + ServerReader.ALLOW_EMPTY), problems("server:\n  agi: { allow: [] }\n"));
        assertEquals(List.of("0.0.0.0/0", "::/0"), load("server:\n  agi: { allow: [0.0.0.0/0, \"::/0\"] }\n").server().agiAllow());
    }

    @Test
    void ipv4MappedRangesAreReadAsTheIpv4RangeTheyMap() {
        assertEquals(List.of("127.0.0.1/32", "0.0.0.0/0", "10.1.0.0/16"), load("server:\n  agi:\n"
                + "    allow: [\"::ffff:127.0.0.1/128\", \"::ffff:0:0/96\", \"::ffff:10.1.0.0/112\"]\n").server().agiAllow());
        assertEquals(List.of("server.agi.allow[0] (line 2): \"::ffff:0:0/80\": " + ServerReader.IPV4_MAPPED_EXPECTED),
                problems("server:\n  agi: { allow: [\"::ffff:0:0/80\"] }\n"));
    }

    @Test
    void drainTimeoutBacklogAndConnectionCaps() {
        ServerSettings defaults = load("routes: {}\n").server();
        assertEquals(Duration.ofSeconds(10), defaults.drainTimeout());
        assertEquals(4096, defaults.agiBacklog());
        assertEquals(5000, defaults.agiMaxConnectionsPerSource());
        assertEquals(20000, defaults.agiMaxConnections());
        ServerSettings set = load("server:\n  drain-timeout: 30s\n"
                + "  agi: { backlog: 8192, max-connections-per-source: 3000, max-connections: 6000 }\n").server();
        assertEquals(new ServerSettings("0.0.0.0", 4573, List.of("127.0.0.1/32", "::1/128"), "127.0.0.1", 8080,
                Duration.ofSeconds(30), 8192, 3000, 6000, Duration.ofSeconds(5), HttpLimits.DEFAULTS), set);
        assertEquals(List.of(
                "server.drain-timeout (line 2): \"1h\": at most 5m",
                "server.agi.backlog (line 3): \"0\": expected a whole number from 1 to 65535",
                "server.agi.max-connections-per-source (line 3): \"0\": expected a whole number from 1 to 1000000"),
                problems("server:\n  drain-timeout: 1h\n  agi: { backlog: 0, max-connections-per-source: 0 }\n"));
    }

    @Test
    void aPasswordWrittenInTheJdbcUrlIsTakenOutOfIt() {
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:postgresql://db.example.com:5432/crmroute?user=app&password=s3cr%26t&ssl=true", "app", "");
        assertEquals("jdbc:postgresql://db.example.com:5432/crmroute?user=app&ssl=true", settings.url());
        assertEquals("s3cr&t", settings.password());
        assertEquals("jdbc:postgresql://db:5432/x", new DatabaseSettings("jdbc:postgresql://db:5432/x?password=p", "u", "").url());
        assertEquals("jdbc:postgresql://db:5432/x?a=1", new DatabaseSettings("jdbc:postgresql://db:5432/x?password=p&a=1", "u", "").url());
        assertEquals("p", new DatabaseSettings("jdbc:postgresql://db:5432/x?password=p", "u", "other").password());
        assertEquals("env", new DatabaseSettings("jdbc:postgresql://db:5432/x", "u", "env").password());
    }

    @Test
    void aDatabaseIsShownByWhereItIsNeverByHowToLogIn() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://db.example.com:5432/crmroute?sslpassword=kp&ssl=true", "app", "pw");
        assertEquals("db.example.com:5432/crmroute", settings.location());
        assertEquals("jdbc:postgresql://db.example.com:5432/crmroute?sslpassword=****&ssl=true", settings.shownUrl());
        assertEquals("DatabaseSettings[url=jdbc:postgresql://db.example.com:5432/crmroute?sslpassword=****&ssl=true, user=app, password=****]",
                settings.toString());
        assertEquals("127.0.0.1/crmroute", new DatabaseSettings("jdbc:postgresql://127.0.0.1/crmroute", "u", "").location());
    }

    @Test
    void databaseAndAdminToken() {
        CrmrouteConfig config = ConfigLoader.parse("database:\n  url: jdbc:postgresql://127.0.0.1:5432/crmroute\n  user: crmroute\n"
                + "  password: \"${DB_PASSWORD}\"\nadmin:\n  token: \"${ADMIN_TOKEN}\"\n", dir,
                Map.of("DB_PASSWORD", "pw", "ADMIN_TOKEN", "tok")).config().orElseThrow();
        assertEquals(Optional.of(new DatabaseSettings("jdbc:postgresql://127.0.0.1:5432/crmroute", "crmroute", "pw")), config.database());
        assertEquals(Optional.of("tok"), config.adminToken());
        assertEquals(List.of("database.user (line 1): missing (required)",
                "database.url (line 2): expected a PostgreSQL JDBC URL like jdbc:postgresql://127.0.0.1:5432/crmroute",
                "admin.token (line 3): must not be empty"),
                problems("database:\n  url: jdbc:mysql://x/y\nadmin: { token: \"\" }\n"));
    }

    @Test
    void theDataDirIsTheConfigsFolderUnlessSetAndRelativePathsStartThere() {
        assertEquals(dir.toAbsolutePath().normalize(), load("routes: {}\n").dataDir());
        assertEquals(Path.of("/var/lib/crmroute"), load("server:\n  data-dir: /var/lib/crmroute/\n").dataDir());
        assertEquals(dir.toAbsolutePath().normalize().resolve("state"), load("server:\n  data-dir: ./state\n").dataDir());
        assertEquals(dir.toAbsolutePath().normalize(), load("server:\n  data-dir: .\n").dataDir());
        assertEquals(load("routes: {}\n").server(), load("server:\n  data-dir: .\n").server());
        assertEquals(List.of("server.data-dir (line 2): empty: write . for the config's folder, or a folder such as /var/lib/crmroute"),
                problems("server:\n  data-dir: \"\"\n"));
    }

    @Test
    void anAllowEntryMayHoldSeveralRangesSoOneVariableCanHoldTheList() {
        String yaml = "server:\n  agi:\n    allow: [\"${AGI_ALLOW:-127.0.0.1/32}\"]\n";
        assertEquals(List.of("10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"), ConfigLoader.parse(yaml, dir,
                Map.of("AGI_ALLOW", " 10.0.0.0/8, 192.0.2.7  2001:db8::/32 ")).config().orElseThrow().server().agiAllow());
        assertEquals(List.of("127.0.0.1/32"), load(yaml).server().agiAllow());
        assertEquals(List.of("server.agi.allow (line 3): " + ServerReader.ALLOW_EMPTY),
                ConfigLoader.parse(yaml, dir, Map.of("AGI_ALLOW", " , ")).problems().stream().map(ConfigProblem::toString).toList());
        assertEquals(List.of("server.agi.allow[1] (line 3): \"example.com\": " + ServerReader.CIDR_EXPECTED),
                ConfigLoader.parse(yaml, dir, Map.of("AGI_ALLOW", "10.0.0.0/8,example.com")).problems().stream()
                        .map(ConfigProblem::toString).toList());
    }

    @Test
    void aVariableWithADefaultTakesTheDefaultWhenUnsetOrEmptyAndTheValueOtherwise() {
        String yaml = "server:\n  agi: { port: \"${AGI_PORT:-4573}\", host: \"${AGI_HOST:-0.0.0.0}\" }\n"
                + "  http: { port: \"${HTTP_PORT:-}\" }\n";
        assertEquals(List.of("server.http.port (line 3): \"\": expected a whole number from 0 to 65535"), ConfigLoader.parse(yaml, dir,
                Map.of()).problems().stream().map(ConfigProblem::toString).toList());
        ServerSettings set = ConfigLoader.parse(yaml, dir, Map.of("AGI_PORT", "4600", "AGI_HOST", "", "HTTP_PORT", "9090"))
                .config().orElseThrow().server();
        assertEquals(4600, set.agiPort());
        assertEquals("0.0.0.0", set.agiHost());
        assertEquals(9090, set.httpPort());
        assertEquals(List.of("server.agi.port (line 2): environment variable AGI_PORT is not set"),
                problems("server:\n  agi: { port: \"${AGI_PORT}\" }\n"));
    }

    @Test
    void unknownTopLevelKeyIsAProblem() {
        assertEquals(List.of("rotues (line 1): unknown key \"rotues\" (expected one of: admin, crms, database, node, routes, server)"),
                problems("rotues: {}\n"));
    }

    private CrmrouteConfig load(String yaml) {
        ConfigResult result = ConfigLoader.parse(yaml, dir, Map.of());
        assertEquals(List.of(), result.problems());
        return result.config().orElseThrow();
    }

    private List<String> problems(String yaml) {
        return ConfigLoader.parse(yaml, dir, Map.of()).problems().stream().map(ConfigProblem::toString).toList();
    }
}
