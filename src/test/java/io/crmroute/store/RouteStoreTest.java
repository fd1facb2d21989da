package io.crmroute.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.route.Route;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RouteStoreTest {

    static Database database;
    static RouteStore store;

    @BeforeAll
    static void connect() throws Exception {
        database = Database.connect(TestPostgres.shared().createDatabase("routestore"), DatabaseTest.FAST);
        database.whenReady().get(30, TimeUnit.SECONDS);
        store = new RouteStore(database, TestRoutes.compiler());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void createsReadsReplacesAndDeletesARoute() throws Exception {
        PutOutcome.Saved created = assertInstanceOf(PutOutcome.Saved.class,
                await(store.put("crud", TestRoutes.document("103"), OptionalLong.empty())));
        assertTrue(created.created());

        StoredRoute read = await(store.get("crud")).orElseThrow();
        assertEquals(TestRoutes.document("103"), read.document());
        assertEquals("\"" + read.version() + "\"", read.etag());

        PutOutcome.Saved replaced = assertInstanceOf(PutOutcome.Saved.class,
                await(store.put("crud", TestRoutes.document("104"), OptionalLong.of(read.version()))));
        assertFalse(replaced.created());
        assertNotEquals(read.version(), replaced.route().version());
        assertEquals("104", await(store.get("crud")).orElseThrow().document().at("/rules/0/to/queue").asText());

        assertEquals(DeleteOutcome.DELETED, await(store.delete("crud", OptionalLong.empty())));
        assertEquals(Optional.empty(), await(store.get("crud")));
        assertEquals(DeleteOutcome.NOT_FOUND, await(store.delete("crud", OptionalLong.empty())));
    }

    @Test
    void keepsTheKeysInTheOrderTheyWereWritten() throws Exception {
        ObjectNode document = TestRoutes.json("{\"rules\": [], \"crm\": \"demo\", \"object\": \"contacts\","
                + " \"match\": {\"from\": \"callerid\", \"field\": \"phone\"}, \"field\": \"status\", \"default\": {\"to\": {\"queue\": \"1\"}}}");
        await(store.put("ordered", document, OptionalLong.empty()));
        List<String> keys = new ArrayList<>();
        await(store.get("ordered")).orElseThrow().document().fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("rules", "crm", "object", "match", "field", "default"), keys);
    }

    @Test
    void refusesAStaleWriteAndKeepsTheNewerOne() throws Exception {
        await(store.put("stale", TestRoutes.document("103"), OptionalLong.empty()));
        long read = await(store.get("stale")).orElseThrow().version();
        await(store.put("stale", TestRoutes.document("200"), OptionalLong.of(read)));   // someone else's edit

        PutOutcome.Stale stale = assertInstanceOf(PutOutcome.Stale.class,
                await(store.put("stale", TestRoutes.document("999"), OptionalLong.of(read))));
        assertNotEquals(Optional.of(read), stale.currentVersion());
        assertEquals("200", await(store.get("stale")).orElseThrow().document().at("/rules/0/to/queue").asText());
        assertEquals(DeleteOutcome.STALE, await(store.delete("stale", OptionalLong.of(read))));
        assertTrue(await(store.get("stale")).isPresent());
    }

    @Test
    void aVersionIsNeverReusedByARouteCreatedAgain() throws Exception {
        await(store.put("again", TestRoutes.document("103"), OptionalLong.empty()));
        long first = await(store.get("again")).orElseThrow().version();
        await(store.delete("again", OptionalLong.empty()));
        await(store.put("again", TestRoutes.document("103"), OptionalLong.empty()));
        assertInstanceOf(PutOutcome.Stale.class, await(store.put("again", TestRoutes.document("1"), OptionalLong.of(first))));
    }

    @Test
    void aRoutesWriteActionsSurviveTheStoreAndARefusedTemplateIsNamed() throws Exception {
        ObjectNode document = TestRoutes.document("103");
        document.set("actions", TestRoutes.json("{\"nomatch\": [{\"create\": \"Lead\", \"mode\": \"sync\", \"set\": {\"Phone\": \"{callerid}\"}}],"
                + " \"match\": [{\"log-call\": true, \"subject\": \"Call to {dnid}\", \"retry-for\": \"1h\"}]}"));
        await(store.put("acting", document, OptionalLong.empty()));
        StoredRoute read = await(store.get("acting")).orElseThrow();
        assertEquals(document, read.document());
        Route compiled = TestRoutes.compiler().compile("acting", read.document()).route().orElseThrow();
        assertEquals(TestRoutes.compiler().compile("acting", document).route(), Optional.of(compiled));
        assertEquals(2, compiled.actions().byOutcome().size());

        ((ObjectNode) document.at("/actions/nomatch/0/set")).put("Phone", "{calerid}");
        PutOutcome.Invalid invalid = assertInstanceOf(PutOutcome.Invalid.class, await(store.put("acting", document, OptionalLong.empty())));
        assertEquals("actions.nomatch[0].set.Phone", invalid.problems().get(0).path());
    }

    @Test
    void refusesAnInvalidRouteNamingTheBadKey() throws Exception {
        ObjectNode document = TestRoutes.document("103");
        ((ObjectNode) document.at("/rules/1")).put("op", "=~");
        PutOutcome.Invalid invalid = assertInstanceOf(PutOutcome.Invalid.class,
                await(store.put("invalid", document, OptionalLong.empty())));
        assertEquals("rules[1].op", invalid.problems().get(0).path());
        assertEquals(Optional.empty(), await(store.get("invalid")));

        PutOutcome.Invalid badName = assertInstanceOf(PutOutcome.Invalid.class,
                await(store.put("no/slashes", TestRoutes.document("1"), OptionalLong.empty())));
        assertEquals("name", badName.problems().get(0).path());
    }

    @Test
    void writesOneRuleRowPerRuleInOrder() throws Exception {
        await(store.put("rows", TestRoutes.document("103"), OptionalLong.empty()));
        List<String> rows = await(database.call(connection -> {
            List<String> found = new ArrayList<>();
            try (ResultSet result = connection.createStatement().executeQuery(
                    "SELECT position, name, field, operator, value, dest_type, dest, voicemail FROM route_rule"
                            + " WHERE route_name = 'rows' ORDER BY position")) {
                while (result.next()) {
                    found.add(result.getInt(1) + " " + result.getString(2) + " " + result.getString(3) + " " + result.getString(4)
                            + " " + result.getString(5) + " " + result.getString(6) + " " + result.getString(7) + " " + result.getBoolean(8));
                }
            }
            return found;
        }));
        assertEquals(List.of("1 gold null = GOLD queue 103 false", "2 silver null = SILVER ivr 200 false",
                "3 null balance >= 1000 extension 300 true"), rows);
    }

    @Test
    void searchesNamesAndDocumentsTakingWildcardsLiterally() throws Exception {
        await(store.put("search-sales", TestRoutes.document("7771"), OptionalLong.empty()));
        await(store.put("search-support", TestRoutes.document("7772"), OptionalLong.empty()));
        assertEquals(List.of("search-sales", "search-support"), names(await(store.list(Optional.of("SEARCH-")))));
        assertEquals(List.of("search-support"), names(await(store.list(Optional.of("7772")))));
        assertEquals(List.of(), names(await(store.list(Optional.of("search%")))));
    }

    @Test
    void importsAllOrNothing() throws Exception {
        Map<String, ObjectNode> routes = new LinkedHashMap<>();
        routes.put("import-a", TestRoutes.document("1"));
        ObjectNode broken = TestRoutes.document("2");
        broken.remove("field");
        routes.put("import-b", broken);
        RouteStore.ImportResult refused = await(store.importRoutes(routes));
        assertEquals(0, refused.imported());
        assertEquals("routes.import-b.field", refused.problems().get(0).path());
        assertEquals(Optional.empty(), await(store.get("import-a")));

        routes.put("import-b", TestRoutes.document("2"));
        assertEquals(2, await(store.importRoutes(routes)).imported());
        Map<String, ObjectNode> exported = await(store.exportAll());
        assertEquals(TestRoutes.document("2"), exported.get("import-b"));
    }

    @Test
    void seedsAnEmptyDatabaseOnlyOnce() throws Exception {
        try (Database fresh = Database.connect(TestPostgres.shared().createDatabase("seed"), DatabaseTest.FAST)) {
            fresh.whenReady().get(30, TimeUnit.SECONDS);
            Map<String, ObjectNode> seed = Map.of("seeded", TestRoutes.document("103"));
            assertEquals(Integer.valueOf(1), await(fresh.call(connection -> RouteStore.seedIfNeverSeeded(connection, seed))));
            RouteStore freshStore = new RouteStore(fresh, TestRoutes.compiler());
            await(freshStore.delete("seeded", OptionalLong.empty()));
            // An admin emptied the table: the config's routes do not come back.
            assertEquals(Integer.valueOf(0), await(fresh.call(connection -> RouteStore.seedIfNeverSeeded(connection, seed))));
            assertEquals(List.of(), await(freshStore.list(Optional.empty())));
        }
    }

    private static List<String> names(List<StoredRoute> routes) {
        List<String> names = new ArrayList<>();
        for (StoredRoute route : routes) names.add(route.name());
        return names;
    }
}
