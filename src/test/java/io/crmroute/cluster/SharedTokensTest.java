package io.crmroute.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmConnectors;
import io.crmroute.crm.CrmContext;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.LookupRequest;
import io.crmroute.crm.LookupResult;
import io.crmroute.store.Database;
import io.crmroute.store.TestPostgres;
import io.crmroute.testing.ManualTime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes (each its own connector stack and clock, advanced together) share one Bullhorn account
 * through one real PostgreSQL, against a fake Bullhorn whose refresh tokens are single-use: over 30
 * simulated minutes and several session expiries no grant is refused and no lookup fails, there is one
 * grant per expiry for all three, a restarted node goes on from the stored token, and the database holds
 * the session sealed.
 */
class SharedTokensTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final SecretBox BOX = SecretBox.fromEnvironment(
            Map.of(SecretBox.VARIABLE, Base64.getEncoder().encodeToString("a 32-byte key for this test only".getBytes(StandardCharsets.US_ASCII))))
            .orElseThrow();

    @TempDir
    Path dir;

    private FakeBullhorn bullhorn;
    private DatabaseSettings settings;
    private final List<Node> nodes = new ArrayList<>();
    private Duration elapsed = Duration.ZERO;

    @AfterEach
    void close() {
        nodes.forEach(Node::close);
        if (bullhorn != null) bullhorn.close();
    }

    /** One node: its clock (caught up with the others), database pool, cluster and Bullhorn connector. */
    private final class Node {
        final ManualTime time = new ManualTime();
        final Database database;
        final Cluster cluster;
        final CrmContext context;
        final CrmConnector crm;

        Node(String id, CrmSpec spec) throws Exception {
            time.advance(elapsed);
            database = Database.connect(settings);
            database.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            cluster = Cluster.join(database, new NodeIdentity(id, "test"), Duration.ofSeconds(5), Optional.of(BOX), time.clock(), time.scheduler());
            context = CrmContext.create(time.clock(), time.ticker(), time.scheduler()).withSharing(cluster);
            crm = CrmConnectors.create(spec, context);
        }

        CompletableFuture<LookupResult> lookup() {
            return crm.lookup(new LookupRequest("ClientContact", "phone", "4155552671", Optional.empty(), List.of("firstName"), 1, "",
                    "4155552671", Duration.ofSeconds(20), LookupRequest.NO_TRACE));
        }

        void close() {
            crm.close();
            cluster.close();
            context.close();
            database.close();
        }
    }

    private CrmSpec spec() {
        String yaml = """
                crms:
                  bh:
                    type: bullhorn
                    base-url: BASE
                    allow-insecure: true
                    session-ttl: 5
                    auth:
                      client-id: crmroute
                      client-secret: ${BH_SECRET}
                      refresh-token: ${BH_REFRESH}
                      token-url: BASE/oauth/token
                routes: {}
                """.replace("BASE", bullhorn.url(""));
        ConfigResult result = ConfigLoader.parse(yaml, dir, Map.of("BH_SECRET", "client-secret-7", "BH_REFRESH", FakeBullhorn.FIRST_REFRESH_TOKEN));
        assertEquals(List.of(), result.problems());
        return result.config().orElseThrow().crms().get("bh");
    }

    /** A fresh fake Bullhorn and database, and three nodes on them: the spec they share. */
    private CrmSpec threeNodes(String database) throws Exception {
        bullhorn = new FakeBullhorn();
        settings = TestPostgres.shared().createDatabase(database);
        CrmSpec spec = spec();
        for (String id : List.of("pbx-a", "pbx-b", "pbx-c")) nodes.add(new Node(id, spec));
        return spec;
    }

    /** Every node looks up at once; each lookup must find the record. */
    private void everyNodeLooksUp() throws Exception {
        List<CompletableFuture<LookupResult>> lookups = nodes.stream().map(Node::lookup).toList();
        for (CompletableFuture<LookupResult> lookup : lookups) {
            assertEquals("Ada", lookup.get(WAIT.toSeconds(), TimeUnit.SECONDS).records().get(0).fields().get("firstName"));
        }
    }

    private void advance(Duration step) {
        elapsed = elapsed.plus(step);
        nodes.forEach(node -> node.time.advance(step));
    }

    @Test
    void threeNodesShareOneSessionAcrossExpiriesAndARestartedNodeGoesOnFromTheStoredOne() throws Exception {
        CrmSpec spec = threeNodes("shared_tokens");

        for (Duration at = Duration.ZERO; at.compareTo(Duration.ofMinutes(30)) < 0; at = at.plus(STEP)) {
            if (at.equals(Duration.ofMinutes(17))) {
                nodes.remove(2).close(); // restarted with the configured refresh token, spent long ago
                nodes.add(new Node("pbx-c", spec));
            }
            everyNodeLooksUp();
            advance(STEP);
        }

        // A session lives 5 minutes and is renewed 30 s before it ends: 30 minutes take 7 sessions for all three.
        assertEquals(7, bullhorn.grants.get(), "one grant per expiry for the three nodes");
        assertEquals(0, bullhorn.refusedGrants.get(), "no refresh token was spent twice");
        assertEquals(0, bullhorn.refusedSearches.get(), "no lookup used a session Bullhorn did not know");
        assertEquals(90 * 3, bullhorn.searches.get());
        assertStoredSealed();
    }

    @Test
    void everyNodeRestartedAfterTheSessionEndedRefreshesFromTheStoredRefreshToken() throws Exception {
        bullhorn = new FakeBullhorn();
        settings = TestPostgres.shared().createDatabase("shared_tokens_restart");
        CrmSpec spec = spec();
        nodes.add(new Node("pbx-a", spec));
        everyNodeLooksUp();
        nodes.remove(0).close();
        elapsed = Duration.ofHours(2); // all down past the session's end; the configured refresh token is spent
        nodes.add(new Node("pbx-a", spec));
        nodes.add(new Node("pbx-b", spec));
        everyNodeLooksUp();
        assertEquals(2, bullhorn.grants.get());
        assertEquals(0, bullhorn.refusedGrants.get());
    }

    @Test
    void aSessionBullhornRefusesIsReplacedOnceForEveryNode() throws Exception {
        threeNodes("shared_tokens_refused");
        everyNodeLooksUp();
        bullhorn.endSessions();
        everyNodeLooksUp(); // each is refused once, and all three go on with the one new session
        assertEquals(3, bullhorn.refusedSearches.get());
        assertEquals(2, bullhorn.grants.get(), "one grant for the refused session, whichever node made it");
        assertEquals(0, bullhorn.refusedGrants.get());
    }

    private void assertStoredSealed() throws Exception {
        byte[] sealed = nodes.get(0).database.callBlocking(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT sealed FROM cluster_token WHERE crm = 'bh'");
                 ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "the session is stored");
                return row.getBytes(1);
            }
        });
        String raw = new String(sealed, StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("bh-at-") || raw.contains("rt-"), "neither session nor refresh token readable in the row");
        assertTrue(BOX.open(sealed, "bh").orElseThrow().contains("\"refreshToken\":\"rt-7\""), "the newest refresh token is stored");
    }
}
