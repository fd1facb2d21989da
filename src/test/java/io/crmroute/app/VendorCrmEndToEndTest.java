package io.crmroute.app;

import io.crmroute.testing.Await;
import static io.crmroute.app.Calls.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls routed on a vendor CRM (HubSpot's CRM v3 search, served on 127.0.0.1 in HubSpot's shapes):
 * each outcome with the CRM_* variables it sets, several records at once, one CRM request for many
 * simultaneous calls from one number, and calls failing without asking the CRM once it is down and the breaker open.
 */
class VendorCrmEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "pat-na1-e2e-token";
    /** The HubSpot page of a contact of portal 62515, less the contact's id: what an agent's softphone pops. */
    private static final String PAGE = "https://app.hubspot.com/contacts/62515/record/0-1/";

    @TempDir
    static Path dir;

    private static HttpServer hubspot;
    private static CrmrouteServer server;
    private static final AtomicInteger searches = new AtomicInteger();
    private static final AtomicInteger downSearches = new AtomicInteger();
    private static volatile CountDownLatch holdSearches = new CountDownLatch(0);

    @BeforeAll
    static void start() throws Exception {
        hubspot = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hubspot.setExecutor(Executors.newCachedThreadPool());
        hubspot.createContext("/crm/v3/objects/contacts/search", VendorCrmEndToEndTest::search);
        hubspot.createContext("/down/crm/v3/objects/contacts/search", exchange -> {
            downSearches.incrementAndGet();
            reply(exchange, 503, "{\"status\":\"error\",\"message\":\"unavailable\",\"category\":\"INTERNAL_ERROR\"}");
        });
        hubspot.start();
        String base = "http://127.0.0.1:" + hubspot.getAddress().getPort();
        Files.writeString(dir.resolve("crmroute.yaml"), """
                server:
                  agi: { host: 127.0.0.1, port: 0 }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  hub:
                    type: hubspot
                    base-url: BASE
                    allow-insecure: true                # the fake HubSpot is plain http on 127.0.0.1
                    timeout: 2s
                    phone: { default-country: US }
                    portal-id: "62515"                  # for the record pages handed to agents
                    auth: { api-token: "${HUBSPOT_TOKEN}" }
                  hubdown:
                    type: hubspot
                    base-url: BASE/down
                    allow-insecure: true
                    auth: { api-token: "${HUBSPOT_TOKEN}" }
                routes:
                  one:
                    crm: hub
                    object: contacts
                    retrieve: [firstname, lifecyclestage]
                    field: lifecyclestage
                    rules: [ { name: customers, op: "=", value: customer, to: { queue: "201" } } ]
                    default: { to: { queue: "200" } }
                    nomatch: { to: { queue: "209" } }
                    multiple: { to: { queue: "208" } }
                    failure: { to: { queue: "299" } }
                  three:
                    crm: hub
                    object: contacts
                    retrieve: [firstname, lifecyclestage]
                    field: lifecyclestage
                    records: 3
                    rules: [ { name: customers, op: "=", value: customer, to: { queue: "201" } } ]
                    default: { to: { queue: "200" } }
                    failure: { to: { queue: "299" } }
                  down:
                    crm: hubdown
                    object: contacts
                    field: lifecyclestage
                    default: { to: { queue: "200" } }
                    failure: { to: { queue: "299" } }
                """.replace("BASE", base));
        ConfigResult config = ConfigLoader.load(dir.resolve("crmroute.yaml"), Map.of("HUBSPOT_TOKEN", TOKEN));
        assertEquals(List.of(), config.problems());
        server = CrmrouteServer.start(config.config().orElseThrow());
    }

    @AfterAll
    static void stop() {
        holdSearches.countDown();
        if (server != null) server.close();
        hubspot.stop(0);
    }

    /** HubSpot's search: contacts by phone, as its documented request and response shapes. */
    private static void search(HttpExchange exchange) throws IOException {
        searches.incrementAndGet();
        try {
            holdSearches.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, "{\"status\":\"error\",\"category\":\"INVALID_AUTHENTICATION\"}");
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String phone = body.path("filterGroups").path(0).path("filters").path(0).path("value").asText();
        List<String> people = switch (phone) {
            case "+15551230001" -> List.of("Ada:customer");
            case "+15551230002" -> List.of("Bob:lead");
            case "+15551230003" -> List.of("Cy:lead", "Di:customer", "Ed:lead", "Flo:lead");
            default -> List.of();
        };
        if (phone.equals("+15551230004")) {
            // An id no real HubSpot sends: quotes, a line break and a path, to show what reaches the channel and the URL.
            reply(exchange, 200, "{\"total\":1,\"results\":[{\"id\":\"9\\\"\\nHANGUP/../x\",\"properties\":{\"firstname\":\"Mal\","
                    + "\"lifecyclestage\":\"lead\"}}]}");
            return;
        }
        int limit = body.path("limit").asInt(10);
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < Math.min(limit, people.size()); i++) {
            String[] person = people.get(i).split(":");
            if (i > 0) results.append(',');
            results.append("{\"id\":\"").append(100 + i).append("\",\"properties\":{\"firstname\":\"").append(person[0])
                    .append("\",\"lifecyclestage\":\"").append(person[1]).append("\",\"hs_object_id\":\"").append(100 + i)
                    .append("\"},\"archived\":false}");
        }
        reply(exchange, 200, "{\"total\":" + people.size() + ",\"results\":[" + results + "]}");
    }

    private static FakeAsterisk.Call call(String route, String callerId) throws IOException {
        return Calls.call(server.agiPort(), route, callerId, FakeAsterisk.Responder.asterisk());
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        Calls.reply(exchange, status, "application/json", body);
    }

    @Test
    void eachOutcomeSetsItsCrmVariables() throws IOException {
        assertEquals(vars("CRMROUTE_STATUS", "MATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "201", "CRMROUTE_VOICEMAIL", "no",
                "CRMROUTE_RULE", "customers", "CRMROUTE_VALUE", "customer", "CRM_contacts_firstname", "Ada",
                "CRM_contacts_lifecyclestage", "customer", "CRM_contacts_ID", "100", "CRM_contacts_URL", PAGE + "100",
                "CRM_contacts_RECORD_COUNT", "1"), call("one", "5551230001").variables());
        assertEquals(vars("CRMROUTE_STATUS", "DEFAULT", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "200", "CRMROUTE_VOICEMAIL", "no",
                "CRMROUTE_RULE", "default", "CRMROUTE_VALUE", "lead", "CRM_contacts_firstname", "Bob",
                "CRM_contacts_lifecyclestage", "lead", "CRM_contacts_ID", "100", "CRM_contacts_URL", PAGE + "100",
                "CRM_contacts_RECORD_COUNT", "1"), call("one", "15551230002").variables());
        assertEquals(vars("CRMROUTE_STATUS", "MULTIPLE", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "208", "CRMROUTE_VOICEMAIL", "no",
                "CRMROUTE_RULE", "multiple", "CRM_contacts_RECORD_COUNT", "4"), call("one", "15551230003").variables());
        assertEquals(vars("CRMROUTE_STATUS", "NOMATCH", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "209", "CRMROUTE_VOICEMAIL", "no",
                "CRMROUTE_RULE", "nomatch", "CRM_contacts_RECORD_COUNT", "0"), call("one", "15559990000").variables());
    }

    @Test
    void theMatchedContactsIdAndPageReachTheChannelForTheAgentsScreenPop() throws IOException {
        Map<String, String> set = call("one", "5551230001").variables();
        assertEquals("100", set.get("CRM_contacts_ID"));
        assertEquals("https://app.hubspot.com/contacts/62515/record/0-1/100", set.get("CRM_contacts_URL"));

        Map<String, String> hostile = call("one", "5551230004").variables();
        assertEquals("9%22%0AHANGUP/../x", hostile.get("CRM_contacts_ID"), "one line, with nothing a dialplan argument would split on");
        assertEquals(PAGE + "9%22%0AHANGUP%2F..%2Fx", hostile.get("CRM_contacts_URL"), "the id cannot leave its path segment");
    }

    @Test
    void threeRecordsAreNumberedAndTheCountIsTheCrmsTotal() throws IOException {
        assertEquals(vars("CRMROUTE_STATUS", "DEFAULT", "CRMROUTE_TYPE", "queue", "CRMROUTE_DEST", "200", "CRMROUTE_VOICEMAIL", "no",
                "CRMROUTE_RULE", "default", "CRMROUTE_VALUE", "lead",
                "CRM_contacts_firstname_01", "Cy", "CRM_contacts_lifecyclestage_01", "lead",
                "CRM_contacts_ID_01", "100", "CRM_contacts_URL_01", PAGE + "100",
                "CRM_contacts_firstname_02", "Di", "CRM_contacts_lifecyclestage_02", "customer",
                "CRM_contacts_ID_02", "101", "CRM_contacts_URL_02", PAGE + "101",
                "CRM_contacts_firstname_03", "Ed", "CRM_contacts_lifecyclestage_03", "lead",
                "CRM_contacts_ID_03", "102", "CRM_contacts_URL_03", PAGE + "102",
                "CRM_contacts_RECORD_COUNT", "4"), call("three", "15551230003").variables());
    }

    @Test
    void aHundredSimultaneousCallsFromOneNumberCauseOneCrmRequest() throws Exception {
        holdSearches = new CountDownLatch(1);
        int before = searches.get();
        ExecutorService callers = Executors.newFixedThreadPool(100);
        try {
            List<Future<FakeAsterisk.Call>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) calls.add(callers.submit(() -> call("one", "15551230001")));
            // Every call is in flight while the one CRM request is held, so each must share it.
            Await.until("the server to count its sessions", java.time.Duration.ofSeconds(30), () -> server.sessionsInFlight() == 100);
            assertEquals(100, server.sessionsInFlight(), "all 100 calls waiting on the CRM");
            holdSearches.countDown();
            for (Future<FakeAsterisk.Call> call : calls) assertEquals("201", call.get(10, TimeUnit.SECONDS).variables().get("CRMROUTE_DEST"));
        } finally {
            holdSearches.countDown();
            callers.shutdownNow();
        }
        assertEquals(1, searches.get() - before, "one CRM request for 100 calls");
    }

    @Test
    void withTheCrmDownCallsFailFastOnceTheBreakerIsOpen() throws IOException {
        for (int i = 0; i < 10; i++) {
            Map<String, String> failed = call("down", "1555123" + (1000 + i)).variables();
            assertEquals("FAILED", failed.get("CRMROUTE_STATUS"));
            assertEquals("crm hubdown: HTTP 503", failed.get("CRMROUTE_ERROR"));
        }
        int asked = downSearches.get();
        for (int i = 0; i < 20; i++) {
            FakeAsterisk.Call call = call("down", "1555124" + (1000 + i));
            assertEquals("FAILED", call.variables().get("CRMROUTE_STATUS"));
            assertEquals("299", call.variables().get("CRMROUTE_DEST"));
            assertEquals("crm hubdown: circuit open after repeated failures", call.variables().get("CRMROUTE_ERROR"));
        }
        assertEquals(asked, downSearches.get(), "an open breaker asks the CRM nothing, so nothing waits for it");
    }

}
