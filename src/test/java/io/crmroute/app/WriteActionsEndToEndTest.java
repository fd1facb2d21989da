package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.agi.FakeAsterisk;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.TestPostgres;
import io.crmroute.testing.Await;
import io.crmroute.testing.FakeSalesforce;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's write actions through the whole server, over real FastAGI, against a fake Salesforce on 127.0.0.1
 * and a real PostgreSQL: a sync create's id and page reach the dialplan as CRM_Lead_ID and CRM_Lead_URL, a
 * sync create Salesforce refuses takes the failure path, an async call log lands after the decision; each one
 * audited in crm_action.
 */
class WriteActionsEndToEndTest {

    @TempDir
    static Path dir;

    private static FakeSalesforce salesforce;
    private static CrmrouteServer server;
    private static DatabaseSettings db;

    @BeforeAll
    static void start() throws Exception {
        salesforce = new FakeSalesforce();
        db = TestPostgres.shared().createDatabase("actions");
        Files.writeString(dir.resolve("crmroute.yaml"), """
                server:
                  agi: { host: 127.0.0.1, port: 0 }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                CRM_ENTRY
                routes:
                  sales:
                    crm: sf
                    object: Contact
                    field: Phone
                    timeout: 3s
                    default: { to: { queue: "200" } }
                    nomatch: { to: { queue: "209" } }
                    failure: { to: { queue: "299" } }
                    actions:
                      nomatch: [ { create: Lead, mode: sync, set: { LastName: "Caller {callerid}", Phone: "{callerid}", LeadSource: Phone } } ]
                      match:   [ { log-call: true, subject: "Inbound call to {dnid}", set: { Description: "channel {channel}" } } ]
                database: { url: "URL", user: "USER", password: "${DB_PASSWORD}" }
                """.replace("CRM_ENTRY", salesforce.crmEntry()).replace("URL", db.url()).replace("USER", db.user()));
        ConfigResult config = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of("SF_SECRET", "s3cr3t", "DB_PASSWORD", db.password()));
        assertEquals(List.of(), config.problems());
        server = CrmrouteServer.start(config.config().orElseThrow());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        salesforce.close();
    }

    private static FakeAsterisk.Call call(String callerId, String uniqueid) throws IOException {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("network_script", "sales");
        env.put("callerid", callerId);
        env.put("uniqueid", uniqueid);
        env.put("dnid", "5550100");
        env.put("channel", "PJSIP/trunk-0000002a");
        return FakeAsterisk.call(server.agiPort(), env, FakeAsterisk.Responder.asterisk());
    }

    @Test
    void aSyncCreatesIdAndPageReachTheDialplan() throws Exception {
        Map<String, String> set = call("5559990001", "1733110000.1").variables();

        assertEquals("NOMATCH", set.get("CRMROUTE_STATUS"));
        assertEquals("209", set.get("CRMROUTE_DEST"));
        assertEquals(1, salesforce.recordsOf("Lead").stream().filter(lead -> lead.path("Phone").asText().equals("5559990001")).count());
        String id = salesforce.recordsOf("Lead").stream().filter(lead -> lead.path("Phone").asText().equals("5559990001"))
                .findFirst().orElseThrow().path("Id").asText();
        assertEquals(id, set.get("CRM_Lead_ID"), "the Lead the call made, before the variables were set");
        assertEquals(salesforce.url() + "/lightning/r/Lead/" + id + "/view", set.get("CRM_Lead_URL"));
        assertEquals(List.of("written"), auditResults("1733110000.1"));
    }

    @Test
    void aSyncCreateSalesforceRefusesTakesTheFailurePathWithTheReason() throws Exception {
        salesforce.keepThenFail(1, 400);
        Map<String, String> set = call("5559990002", "1733110000.2").variables();

        assertEquals("FAILED", set.get("CRMROUTE_STATUS"));
        assertEquals("299", set.get("CRMROUTE_DEST"));
        assertTrue(set.get("CRMROUTE_ERROR").contains("HTTP 400"), set.get("CRMROUTE_ERROR"));
        assertTrue(!set.containsKey("CRM_Lead_ID"));
        assertEquals(List.of("failed"), auditResults("1733110000.2"));
    }

    @Test
    void anAsyncCallLogIsWrittenAfterTheDecisionOnTheMatchedContact() throws Exception {
        Map<String, String> set = call(FakeSalesforce.CONTACT_PHONE, "1733110000.3").variables();
        assertEquals("DEFAULT", set.get("CRMROUTE_STATUS"));
        assertEquals("003A", set.get("CRM_Contact_ID"));

        Await.until("the call's Task", Duration.ofSeconds(30), () -> salesforce.recordsOf("Task").stream()
                .anyMatch(task -> task.path("CallObject").asText().equals("1733110000.3:sales:match:0")));
        var task = salesforce.recordsOf("Task").stream()
                .filter(t -> t.path("CallObject").asText().equals("1733110000.3:sales:match:0")).findFirst().orElseThrow();
        assertEquals("Inbound call to 5550100", task.path("Subject").asText());
        assertEquals("003A", task.path("WhoId").asText());
        assertEquals("channel PJSIP/trunk-0000002a", task.path("Description").asText());
        assertEquals(List.of("written"), auditResults("1733110000.3"));
    }

    @Test
    void aCallerWhoHangsUpDuringASyncCreateEndsAsHangupAndTheLeadIsStillMadeAndAudited() throws Exception {
        java.util.concurrent.CompletableFuture<Void> release = new java.util.concurrent.CompletableFuture<>();
        salesforce.holdEveryWrite(release);
        java.util.concurrent.CompletableFuture<Void> arrived = salesforce.nextWriteArrives();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("network_script", "sales");
        env.put("callerid", "5559990004");
        env.put("uniqueid", "1733110000.4");
        FakeAsterisk.Call call;
        try {
            call = FakeAsterisk.callAndHangUp(server.agiPort(), env, FakeAsterisk.Responder.asterisk(), arrived);
        } finally {
            salesforce.holdEveryWrite(java.util.concurrent.CompletableFuture.completedFuture(null));
            release.complete(null);
        }

        assertTrue(call.closedByServer());
        assertEquals(Map.of("CRMROUTE_STATUS", "HANGUP", "CRMROUTE_RULE", "hangup"), call.variables(), "the call ends as any hang-up");
        assertEquals(List.of("written"), auditResults("1733110000.4"), "the write went on without the caller");
        assertEquals(1, salesforce.recordsOf("Lead").stream().filter(lead -> lead.path("Phone").asText().equals("5559990004")).count());
    }

    /** The results audited for call {@code uniqueid}, once written (the audit flushes every 200 ms). */
    private static List<String> auditResults(String uniqueid) throws Exception {
        List<String> results = new ArrayList<>();
        Await.until("the call's action audited", Duration.ofSeconds(30), () -> {
            results.clear();
            results.addAll(query(db, "SELECT result FROM crm_action WHERE uniqueid = ?", uniqueid));
            return !results.isEmpty();
        });
        return results;
    }

    /** The first column of {@code sql}'s rows, with its one parameter; none while the database is not migrated yet. */
    static List<String> query(DatabaseSettings db, String sql, String parameter) {
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) values.add(rows.getString(1));
            }
            return values;
        } catch (java.sql.SQLException e) {
            return List.of(); // not migrated yet
        }
    }
}
