package io.crmroute.crm;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.FakeCrmServer.Reply;
import io.crmroute.crm.FakeCrmServer.Seen;
import io.crmroute.crm.TestCrms.FakeClock;
import io.crmroute.crm.TestCrms.FakeTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Salesforce writes in REST v61.0's documented shapes, on a fake Salesforce on 127.0.0.1: create, upsert on a
 * key field, update, and the call logged as a Task found by its CallObject first; a hostile caller ID stays a
 * JSON string and a SOQL literal.
 */
class SalesforceWriteTest {

    private static final String HOSTILE = SalesforceCrmTest.HOSTILE;
    private static final String SOBJECTS = "/services/data/v61.0/sobjects/";
    private static final String KEY = "1733110000.42:sales:nomatch:0";
    private static final Instant CALLED = Instant.parse("2026-01-05T23:30:00Z");

    private final CrmContext context = CrmContext.create(new FakeClock(), new FakeTicker());
    private SalesforceApiFake org;

    @AfterEach
    void tearDown() {
        if (org != null) org.close();
        context.close();
    }

    private CrmConnector salesforce(Reply... replies) throws Exception {
        if (org != null) org.close();
        org = new SalesforceApiFake(replies);
        return org.connector(context);
    }

    private static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) fields.put(namesAndValues[i], namesAndValues[i + 1]);
        return fields;
    }

    private static WriteRequest request(CrmWrite write) {
        return new WriteRequest(write, Duration.ofSeconds(3));
    }

    private static JsonNode body(Seen seen) throws Exception {
        return CrmHttp.JSON.readTree(seen.body());
    }

    @Test
    void aCreateIsAPostOfTheFieldsAndAnswersTheNewRecordAndItsPage() throws Exception {
        CrmConnector crm = salesforce(new Reply(201, "application/json", "{\"id\":\"00Q5e00000AbCdE\",\"errors\":[],\"success\":true}", Map.of()));
        WriteResult made = await(crm.write(request(new CrmWrite.Create("Lead",
                fields("LastName", "Caller " + HOSTILE, "Phone", HOSTILE, "LeadSource", "Phone"), Optional.empty(), KEY))));

        Seen post = org.api.seen().get(0);
        assertEquals("POST", post.method());
        assertEquals(SOBJECTS + "Lead/", post.path());
        assertEquals("Bearer tok-1", post.header("Authorization"));
        assertEquals("application/json", post.header("Content-Type"));
        assertEquals(HOSTILE, body(post).path("Phone").asText(), "the caller ID is one JSON string, whatever it holds");
        assertEquals(List.of("LastName", "Phone", "LeadSource"), List.copyOf(iterable(body(post))));
        assertEquals(new WriteResult("Lead", "00Q5e00000AbCdE", Optional.of(org.login.url("/lightning/r/Lead/00Q5e00000AbCdE/view")), false), made);
    }

    @Test
    void aCreateWithAKeyFieldIsAnUpsertOnTheCallKeySoARetryFindsTheRecord() throws Exception {
        CrmConnector crm = salesforce(new Reply(201, "application/json", "{\"id\":\"00Q1\",\"success\":true,\"created\":true}", Map.of()),
                Reply.json("{\"id\":\"00Q1\",\"success\":true,\"created\":false}"));
        CrmWrite.Create create = new CrmWrite.Create("Lead", fields("Phone", HOSTILE, "Call_Key__c", KEY), Optional.of("Call_Key__c"), KEY);
        assertTrue(crm.retrySafe(create));
        assertFalse(crm.retrySafe(new CrmWrite.Create("Lead", Map.of(), Optional.empty(), KEY)), "a plain POST could make a second Lead");

        WriteResult first = await(crm.write(request(create)));
        WriteResult again = await(crm.write(request(create)));

        Seen upsert = org.api.seen().get(0);
        assertEquals("PATCH", upsert.method());
        assertEquals(SOBJECTS + "Lead/Call_Key__c/1733110000.42%3Asales%3Anomatch%3A0", upsert.path());
        assertEquals(List.of("Phone"), List.copyOf(iterable(body(upsert))), "the key field is in the path, never in the body");
        assertFalse(first.earlier());
        assertEquals("00Q1", again.id());
        assertTrue(again.earlier(), "200 created:false: the record an earlier attempt made");
    }

    @Test
    void anUpdateIsAPatchOfTheMatchedRecord() throws Exception {
        CrmConnector crm = salesforce(new Reply(204, "", "", Map.of()));
        WriteResult updated = await(crm.write(request(new CrmWrite.Update("Contact", "003A", fields("Last_Call__c", "2026-01-05T09:00:00Z"), KEY))));

        Seen patch = org.api.seen().get(0);
        assertEquals("PATCH", patch.method());
        assertEquals(SOBJECTS + "Contact/003A", patch.path());
        assertEquals("{\"Last_Call__c\":\"2026-01-05T09:00:00Z\"}", patch.body());
        assertEquals("003A", updated.id());
    }

    @Test
    void aCallIsLoggedAsACompletedInboundTaskOnTheContactAfterLookingForOneAnEarlierAttemptMade() throws Exception {
        CrmConnector crm = salesforce(Reply.json("{\"totalSize\":0,\"done\":true,\"records\":[]}"),
                new Reply(201, "application/json", "{\"id\":\"00T1\",\"success\":true}", Map.of()));
        CrmWrite.LogCall log = new CrmWrite.LogCall("Contact", "003A", "Inbound call to 5550100 from " + HOSTILE,
                fields("Description", "caller " + HOSTILE), new CrmWrite.CallFacts(HOSTILE, "5550100", "1733110000.42", CALLED), Optional.empty(),
                KEY.replace("nomatch", "match"));
        assertTrue(crm.retrySafe(log));
        assertEquals(EnumSet.allOf(WriteKind.class), crm.writeKinds());

        WriteResult task = await(crm.write(request(log)));

        Seen query = org.api.seen().get(0);
        assertEquals("GET", query.method());
        assertEquals("SELECT Id FROM Task WHERE CallObject = '1733110000.42:sales:match:0' LIMIT 1",
                SalesforceCrmTest.decode(query.rawQuery()).get("q"));
        Seen post = org.api.seen().get(1);
        assertEquals(SOBJECTS + "Task/", post.path());
        JsonNode body = body(post);
        assertEquals("Call", body.path("TaskSubtype").asText());
        assertEquals("Inbound call to 5550100 from " + HOSTILE, body.path("Subject").asText());
        assertEquals("003A", body.path("WhoId").asText());
        assertTrue(body.path("WhatId").isMissingNode());
        assertEquals("Completed", body.path("Status").asText());
        assertEquals("Inbound", body.path("CallType").asText());
        assertEquals("2026-01-05", body.path("ActivityDate").asText());
        assertEquals("1733110000.42:sales:match:0", body.path("CallObject").asText());
        assertEquals("caller " + HOSTILE, body.path("Description").asText());
        assertEquals(new WriteResult("Task", "00T1", Optional.of(org.login.url("/lightning/r/Task/00T1/view")), false), task);
    }

    @Test
    void aTaskAnEarlierAttemptMadeIsFoundNotMadeAgainAndAnAccountIsItsWhat() throws Exception {
        CrmConnector crm = salesforce(Reply.json("{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Task\"},\"Id\":\"00T9\"}]}"));
        CrmWrite.LogCall log = new CrmWrite.LogCall("Account", "001A", "Call", Map.of(),
                new CrmWrite.CallFacts("+15551230001", "5550100", "1.1", CALLED), Optional.empty(), "1.1:sales:match:0:it's");
        WriteResult found = await(crm.write(request(log)));

        assertEquals(1, org.api.seen().size(), "no second Task");
        assertEquals("SELECT Id FROM Task WHERE CallObject = '1.1:sales:match:0:it\\'s' LIMIT 1",
                SalesforceCrmTest.decode(org.api.seen().get(0).rawQuery()).get("q"), "the key is a SOQL literal, quote escaped");
        assertEquals("00T9", found.id());
        assertTrue(found.earlier());

        CrmConnector other = salesforce(Reply.json("{\"totalSize\":0,\"records\":[]}"), new Reply(201, "application/json", "{\"id\":\"00T2\"}", Map.of()));
        await(other.write(request(log)));
        assertEquals("001A", body(org.api.seen().get(1)).path("WhatId").asText());
    }

    @Test
    void aCallLogWithAKeyFieldIsAnUpsertOfTheTask() throws Exception {
        CrmConnector crm = salesforce(new Reply(201, "application/json", "{\"id\":\"00T3\",\"created\":true}", Map.of()));
        CrmWrite.LogCall log = new CrmWrite.LogCall("Lead", "00Q1", "Call", fields("Call_Key__c", KEY),
                new CrmWrite.CallFacts("+15551230001", "5550100", "1.1", CALLED), Optional.of("Call_Key__c"), KEY);
        await(crm.write(request(log)));
        Seen upsert = org.api.seen().get(0);
        assertEquals("PATCH", upsert.method());
        assertEquals(SOBJECTS + "Task/Call_Key__c/1733110000.42%3Asales%3Anomatch%3A0", upsert.path());
        assertTrue(body(upsert).path("Call_Key__c").isMissingNode());
        assertEquals("00Q1", body(upsert).path("WhoId").asText());
    }

    @Test
    void aRefusedWriteFailsWithSalesforcesErrorCodeAndIsNotWorthRetrying() throws Exception {
        CrmConnector crm = salesforce(new Reply(400, "application/json",
                "[{\"message\":\"No such column 'Bogus__c' on sobject of type Lead\",\"errorCode\":\"INVALID_FIELD\"}]", Map.of()));
        CrmException refused = failure(crm.write(request(new CrmWrite.Create("Lead", fields("Bogus__c", "x"), Optional.empty(), KEY))),
                CrmException.Kind.HTTP_STATUS);
        assertTrue(refused.getMessage().endsWith("INVALID_FIELD"), refused.getMessage());
        assertFalse(refused.worthRetrying());
        assertFalse(refused.getMessage().contains("Bogus"), "Salesforce's message may echo values: only its code is kept");
    }

    @Test
    void anObjectNameThatIsNotAnApiNameIsAConfigFailureAndNothingIsSent() throws Exception {
        CrmConnector crm = salesforce(Reply.json("{}"));
        failure(crm.write(request(new CrmWrite.Create("Lead/../Account", Map.of(), Optional.empty(), KEY))), CrmException.Kind.CONFIG);
        assertEquals(0, org.api.seen().size());
    }

    private static Set<String> iterable(JsonNode node) {
        Set<String> names = new java.util.LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
