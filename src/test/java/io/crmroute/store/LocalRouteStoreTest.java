package io.crmroute.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.testing.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route store of a server without a database: a file beside the config, the calls' route table too. */
class LocalRouteStoreTest {

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();
    private LocalRouteStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private LocalRouteStore open(Map<String, ? extends JsonNode> seed) throws Exception {
        if (store != null) store.close();
        store = LocalRouteStore.open(LocalRouteStore.fileFor(dir, dir.resolve("crmroute.yaml")), TestRoutes.compiler(), seed, time.clock());
        return store;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void importsTheConfigsRoutesOnceAndKeepsADeletionAcrossARestart() throws Exception {
        Map<String, JsonNode> seed = new LinkedHashMap<>(Map.of("vip", TestRoutes.document("103"), "team", TestRoutes.document("104")));
        open(seed);
        assertEquals(Path.of(dir.resolve("crmroute.yaml") + ".routes.json"), store.file());
        assertEquals(List.of("team", "vip"), await(store.list(Optional.empty())).stream().map(StoredRoute::name).toList());
        assertEquals(DeleteOutcome.DELETED, await(store.delete("team", OptionalLong.empty())));

        open(seed);

        assertEquals(List.of("vip"), await(store.list(Optional.empty())).stream().map(StoredRoute::name).toList());
        assertEquals("103", store.route("vip").orElseThrow().rules().get(0).to().target());
        assertEquals(Optional.empty(), store.route("team"));
    }

    @Test
    void aWriteIsServedToTheNextCallAndSurvivesARestart() throws Exception {
        open(Map.of("vip", TestRoutes.document("103")));
        StoredRoute read = await(store.get("vip")).orElseThrow();
        time.advance(Duration.ofMinutes(5));

        PutOutcome.Saved saved = assertInstanceOf(PutOutcome.Saved.class,
                await(store.put("vip", TestRoutes.document("777"), OptionalLong.of(read.version()))));

        assertFalse(saved.created());
        assertTrue(saved.route().version() > read.version());
        assertEquals(read.updatedAt().plus(Duration.ofMinutes(5)), saved.route().updatedAt());
        assertEquals("777", store.route("vip").orElseThrow().rules().get(0).to().target());
        open(Map.of());
        StoredRoute reread = await(store.get("vip")).orElseThrow();
        assertEquals(saved.route().etag(), reread.etag());
        assertEquals(TestRoutes.document("777"), reread.document());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("crmroute.yaml.routes.json"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void refusesAStaleWriteOrDeleteAndKeepsTheNewerRoute() throws Exception {
        open(Map.of("vip", TestRoutes.document("103")));
        long opened = await(store.get("vip")).orElseThrow().version();
        await(store.put("vip", TestRoutes.document("200"), OptionalLong.of(opened)));   // someone else's save

        PutOutcome.Stale stale = assertInstanceOf(PutOutcome.Stale.class,
                await(store.put("vip", TestRoutes.document("300"), OptionalLong.of(opened))));

        assertEquals(await(store.get("vip")).orElseThrow().version(), stale.currentVersion().orElseThrow());
        assertEquals(DeleteOutcome.STALE, await(store.delete("vip", OptionalLong.of(opened))));
        assertEquals("200", store.route("vip").orElseThrow().rules().get(0).to().target());
        assertInstanceOf(PutOutcome.Stale.class, await(store.put("gone", TestRoutes.document("1"), OptionalLong.of(opened))));
    }

    @Test
    void ofTwoAdminsSavingFromTheSameVersionExactlyOneWins() throws Exception {
        open(Map.of("vip", TestRoutes.document("103")));
        long opened = await(store.get("vip")).orElseThrow().version();

        CompletableFuture<PutOutcome> first = store.put("vip", TestRoutes.document("201"), OptionalLong.of(opened));
        CompletableFuture<PutOutcome> second = store.put("vip", TestRoutes.document("202"), OptionalLong.of(opened));

        List<PutOutcome> outcomes = List.of(await(first), await(second));
        assertEquals(1, outcomes.stream().filter(PutOutcome.Saved.class::isInstance).count(), outcomes.toString());
        assertEquals(1, outcomes.stream().filter(PutOutcome.Stale.class::isInstance).count(), outcomes.toString());
        PutOutcome.Saved winner = (PutOutcome.Saved) outcomes.stream().filter(PutOutcome.Saved.class::isInstance).findFirst().orElseThrow();
        assertEquals(winner.route().document(), await(store.get("vip")).orElseThrow().document());
    }

    @Test
    void versionsNeverRepeatEvenAfterADelete() throws Exception {
        open(Map.of());
        long first = ((PutOutcome.Saved) await(store.put("a", TestRoutes.document("1"), OptionalLong.empty()))).route().version();
        await(store.delete("a", OptionalLong.empty()));
        open(Map.of());
        PutOutcome.Saved again = (PutOutcome.Saved) await(store.put("a", TestRoutes.document("1"), OptionalLong.empty()));
        assertTrue(again.created());
        assertTrue(again.route().version() > first, "a stale ETag of the deleted route must not match the new one");
    }

    @Test
    void anInvalidRouteIsRefusedWithItsProblemsAndNothingIsWritten() throws Exception {
        open(Map.of("vip", TestRoutes.document("103")));
        byte[] before = Files.readAllBytes(store.file());
        JsonNode invalid = TestRoutes.json("{\"crm\": \"nowhere\", \"field\": \"status\", \"default\": {\"to\": {\"queue\": \"1\"}}}");

        PutOutcome.Invalid refused = assertInstanceOf(PutOutcome.Invalid.class, await(store.put("vip", invalid, OptionalLong.empty())));

        assertEquals("crm", refused.problems().get(0).path());
        assertInstanceOf(PutOutcome.Invalid.class, await(store.put("bad name!", TestRoutes.document("1"), OptionalLong.empty())));
        assertEquals(new String(before), new String(Files.readAllBytes(store.file())));
    }

    @Test
    void importsAllOrNothing() throws Exception {
        open(Map.of("vip", TestRoutes.document("103")));
        JsonNode broken = TestRoutes.json("{\"crm\": \"demo\", \"object\": \"contacts\", \"field\": \"status\", \"rules\": [{\"op\": \"=~\", \"value\": \"x\","
                + " \"to\": {\"queue\": \"1\"}}], \"default\": {\"to\": {\"queue\": \"1\"}}}");

        RouteStore.ImportResult refused = await(store.importRoutes(Map.of("vip", TestRoutes.document("999"), "broken", broken)));

        assertEquals(0, refused.imported());
        assertEquals("routes.broken.rules[0].op", refused.problems().get(0).path());
        assertEquals("103", store.route("vip").orElseThrow().rules().get(0).to().target());

        RouteStore.ImportResult imported = await(store.importRoutes(Map.of("vip", TestRoutes.document("999"), "new", TestRoutes.document("5"))));
        assertEquals(2, imported.imported());
        assertEquals("999", store.route("vip").orElseThrow().rules().get(0).to().target());
        assertEquals(List.of("new", "vip"), List.copyOf(await(store.exportAll()).keySet()));
    }

    @Test
    void searchesNamesAndDocumentsInAnyCase() throws Exception {
        open(Map.of("vip", TestRoutes.document("103"), "team", TestRoutes.document("4242")));
        assertEquals(List.of("team"), await(store.list(Optional.of("42"))).stream().map(StoredRoute::name).toList());
        assertEquals(List.of("vip"), await(store.list(Optional.of("VI"))).stream().map(StoredRoute::name).toList());
        assertEquals(2, await(store.list(Optional.of("  "))).size());
    }
}
