package io.crmroute.crm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.crmroute.crm.TestCrms.await;
import static io.crmroute.crm.TestCrms.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileCrmTest {

    private static final String RECORDS = """
            {"contacts": [
              {"phone": "+15551234567", "status": "GOLD", "balance": 1200, "account": "A-100"},
              {"phone": "(555) 987-6543", "status": "SILVER", "account": "A-200"},
              {"phone": "+15550000003", "status": "SILVER", "account": "A-300"},
              {"phone": "+15550000004", "status": "SILVER", "account": "A-400"}
            ]}
            """;

    @TempDir
    Path dir;
    private final CrmContext context = CrmContext.create();
    private CrmConnector crm;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("demo-crm.json"), RECORDS);
        crm = CrmConnectors.create(TestCrms.spec("demo", FileCrm.TYPE, Map.of("path", "demo-crm.json"), dir), context);
    }

    @AfterEach
    void tearDown() {
        context.close();
    }

    private static LookupRequest byPhone(String number, List<String> trace) {
        return new LookupRequest("contacts", "phone", number, Optional.of(new PhoneMatching("US", null)),
                List.of("status"), 1, "", number, Duration.ofMillis(1500), trace::add);
    }

    @Test
    void aRecordsIdKeyIsItsIdAndARecordUrlTemplateMakesItsPage() throws Exception {
        Files.writeString(dir.resolve("linked.json"), "{\"contacts\": [{\"id\": \"c 7/x\", \"phone\": \"+15551234567\"},"
                + " {\"phone\": \"+15559876543\"}]}");
        CrmConnector plain = CrmConnectors.create(TestCrms.spec("demo", FileCrm.TYPE, Map.of("path", "linked.json"), dir), context);
        CrmRecord withoutTemplate = await(plain.lookup(byPhone("+15551234567", new ArrayList<>()))).records().get(0);
        assertEquals(Optional.of("c 7/x"), withoutTemplate.id());
        assertEquals(Optional.empty(), withoutTemplate.url(), "no page unless a template says where");

        CrmConnector linked = CrmConnectors.create(TestCrms.spec("demo", FileCrm.TYPE,
                Map.of("path", "linked.json", "record-url", "https://crm.example.com/{object}/{id}"), dir), context);
        CrmRecord record = await(linked.lookup(byPhone("+15551234567", new ArrayList<>()))).records().get(0);
        assertEquals(Optional.of("https://crm.example.com/contacts/c%207%2Fx"), record.url());
        CrmRecord noId = await(linked.lookup(byPhone("+15559876543", new ArrayList<>()))).records().get(0);
        assertEquals(Optional.empty(), noId.id());
        assertEquals(Optional.empty(), noId.url(), "a record without id has no page");
    }

    @Test
    void everyNotationOfOneNumberFindsTheRecord() throws Exception {
        for (String number : List.of("+1 555 123 4567", "5551234567", "15551234567", "+15551234567", "(555) 123-4567")) {
            LookupResult result = await(crm.lookup(byPhone(number, new ArrayList<>())));
            assertEquals(1, result.records().size(), number);
            assertEquals(Optional.of("GOLD"), result.records().get(0).get("status"), number);
        }
    }

    @Test
    void aNationallyStoredNumberMatchesE164() throws Exception {
        LookupResult result = await(crm.lookup(byPhone("+15559876543", new ArrayList<>())));
        assertEquals(Optional.of("A-200"), result.records().get(0).get("account"));
    }

    @Test
    void traceSaysWhatWasLookedFor() throws Exception {
        List<String> trace = new ArrayList<>();
        await(crm.lookup(byPhone("555 123 4567", trace)));
        assertEquals(List.of("file demo-crm.json: contacts where phone = +15551234567"), trace);
    }

    @Test
    void withoutPhoneMatchingValuesMatchExactly() throws Exception {
        assertEquals(Optional.of("GOLD"), await(crm.lookup(request("contacts", "account", "A-100"))).records().get(0).get("status"));
        assertTrue(await(crm.lookup(request("contacts", "account", "a-100"))).isEmpty());
        assertTrue(await(crm.lookup(request("contacts", "phone", "5551234567"))).isEmpty());
        assertEquals(Optional.of("1200"), await(crm.lookup(request("contacts", "account", "A-100"))).records().get(0).get("balance"));
    }

    @Test
    void anUnknownObjectOrNumberIsNoRecord() throws Exception {
        assertTrue(await(crm.lookup(request("leads", "account", "A-100"))).isEmpty());
        assertTrue(await(crm.lookup(byPhone("+15550009999", new ArrayList<>()))).isEmpty());
    }

    @Test
    void limitCutsTheRecordsButTotalCountsThemAll() throws Exception {
        LookupRequest silver = new LookupRequest("contacts", "status", "SILVER", Optional.empty(), List.of("account"),
                2, "", "", Duration.ofMillis(1500), null);
        LookupResult result = await(crm.lookup(silver));
        assertEquals(2, result.records().size());
        assertEquals(3, result.total());
        assertEquals(Optional.of("A-200"), result.records().get(0).get("account"));
    }

    @Test
    void aMissingFileIsAProblemOfTheConfigNamingItsPath() {
        List<String> problems = TestCrms.problems(FileCrm.TYPE, Map.of("path", "nope.json"), dir);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("path: \"nope.json\": no such file (looked for " + dir.toAbsolutePath().normalize()), problems.get(0));
    }

    @Test
    void invalidJsonIsAProblemOfTheConfigWithTheLine() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{\"contacts\": [\n {\"phone\": }\n]}");
        assertEquals(List.of("path: \"bad.json\": not valid JSON (line 2)"), TestCrms.problems(FileCrm.TYPE, Map.of("path", "bad.json"), dir));
    }

    @Test
    void aFileOfTheWrongShapeIsAProblemOfTheConfig() throws Exception {
        Files.writeString(dir.resolve("shape.json"), "{\"contacts\": {\"phone\": \"1\"}}");
        List<String> problems = TestCrms.problems(FileCrm.TYPE, Map.of("path", "shape.json"), dir);
        assertTrue(problems.get(0).startsWith("path: \"shape.json\": \"contacts\" is not a list of records"), problems::toString);
    }

    @Test
    void answersEveryLookupBeforeLookupReturns() throws Exception {
        // No thread, timer or I/O between a lookup and its answer: that is what makes it fast, whatever the machine.
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            CompletableFuture<LookupResult> lookup = crm.lookup(byPhone("+1555000000" + (i % 10), new ArrayList<>()));
            assertTrue(lookup.isDone(), "lookup " + i + " answered at once");
            lookup.get();
        }
    }
}
