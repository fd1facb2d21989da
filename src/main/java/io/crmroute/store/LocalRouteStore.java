package io.crmroute.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.config.ConfigProblem;
import io.crmroute.config.RouteParseResult;
import io.crmroute.route.Route;
import io.crmroute.route.RouteTable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of a server without a database, in one JSON file in the data directory ({@code server.data-dir}). The YAML's routes are
 * imported once, when the file does not exist yet; from then on the file is the truth, so a route an
 * admin deleted does not come back at the next start. Every write replaces the whole file atomically
 * (a temporary file, fsync, rename, fsync of the folder): a crash leaves the old file or the new one.
 * Versions come from one counter kept in the file, as the database's sequence does, so ETags never
 * repeat. It is also the calls' route table: a write is served from the next call on.
 *
 * <p>Writes run one at a time on the store's own thread; reads answer from memory.
 */
public final class LocalRouteStore implements RouteRepository, RouteTable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRouteStore.class);
    private static final int FORMAT = 1;

    private record State(long counter, Map<String, StoredRoute> stored, Map<String, Route> compiled) {}

    private final Path file;
    private final RouteCompiler compiler;
    private final Clock clock;
    private final ExecutorService writer;
    private volatile State state;

    private LocalRouteStore(Path file, RouteCompiler compiler, Clock clock, State state) {
        this.file = file;
        this.compiler = compiler;
        this.clock = clock;
        this.state = state;
        this.writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "crmroute-local-routes");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Where the store of the config {@code configFile} lives: {@code crmroute.yaml.routes.json} in {@code dataDir}. */
    public static Path fileFor(Path dataDir, Path configFile) {
        return dataDir.resolve(configFile.getFileName() + ".routes.json");
    }

    /**
     * Opens the store in {@code file}, creating it from {@code seed} (the config's route documents) if it
     * does not exist.
     *
     * @throws IOException when the file exists but cannot be read, or cannot be created
     */
    public static LocalRouteStore open(Path file, RouteCompiler compiler, Map<String, ? extends JsonNode> seed, Clock clock)
            throws IOException {
        if (Files.exists(file)) {
            State loaded = read(file, compiler);
            log.info("serving {} routes from the local route store {}", loaded.compiled().size(), file);
            return new LocalRouteStore(file, compiler, clock, loaded);
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) Files.createDirectories(folder);
        Instant now = clock.instant();
        long counter = 0;
        Map<String, StoredRoute> stored = new TreeMap<>();
        for (Map.Entry<String, ? extends JsonNode> route : seed.entrySet()) {
            if (RouteValidation.validName(route.getKey()) && route.getValue() instanceof ObjectNode) {
                stored.put(route.getKey(), new StoredRoute(route.getKey(), (ObjectNode) route.getValue(), ++counter, now));
            }
        }
        State seeded = new State(counter, stored, compileAll(stored, compiler, file));
        write(file, seeded);
        log.info("imported {} routes from the config into the local route store {}", stored.size(), file);
        return new LocalRouteStore(file, compiler, clock, seeded);
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<Route> route(String name) {
        return Optional.ofNullable(state.compiled().get(name));
    }

    @Override
    public CompletableFuture<List<StoredRoute>> list(Optional<String> query) {
        String text = query.map(String::trim).filter(q -> !q.isEmpty()).map(q -> q.toLowerCase(Locale.ROOT)).orElse(null);
        List<StoredRoute> found = new ArrayList<>();
        for (StoredRoute route : state.stored().values()) {
            if (text == null || route.name().toLowerCase(Locale.ROOT).contains(text)
                    || route.document().toString().toLowerCase(Locale.ROOT).contains(text)) {
                found.add(route);
            }
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletableFuture<Optional<StoredRoute>> get(String name) {
        return CompletableFuture.completedFuture(Optional.ofNullable(state.stored().get(name)));
    }

    @Override
    public CompletableFuture<PutOutcome> put(String name, JsonNode document, OptionalLong expectedVersion) {
        List<ConfigProblem> problems = RouteValidation.problems(compiler, name, document);
        if (!problems.isEmpty()) return CompletableFuture.completedFuture(new PutOutcome.Invalid(problems));
        ObjectNode copy = ((ObjectNode) document).deepCopy();
        return onWriter(() -> {
            State current = state;
            StoredRoute existing = current.stored().get(name);
            if (expectedVersion.isPresent() && (existing == null || existing.version() != expectedVersion.getAsLong())) {
                return new PutOutcome.Stale(Optional.ofNullable(existing).map(StoredRoute::version));
            }
            StoredRoute saved = new StoredRoute(name, copy, current.counter() + 1, clock.instant());
            Map<String, StoredRoute> next = new TreeMap<>(current.stored());
            next.put(name, saved);
            commit(new State(saved.version(), next, compileAll(next, compiler, file)));
            return new PutOutcome.Saved(saved, existing == null);
        });
    }

    @Override
    public CompletableFuture<DeleteOutcome> delete(String name, OptionalLong expectedVersion) {
        return onWriter(() -> {
            State current = state;
            StoredRoute existing = current.stored().get(name);
            if (existing == null) return DeleteOutcome.NOT_FOUND;
            if (expectedVersion.isPresent() && existing.version() != expectedVersion.getAsLong()) return DeleteOutcome.STALE;
            Map<String, StoredRoute> next = new TreeMap<>(current.stored());
            next.remove(name);
            commit(new State(current.counter(), next, compileAll(next, compiler, file)));
            return DeleteOutcome.DELETED;
        });
    }

    @Override
    public CompletableFuture<RouteStore.ImportResult> importRoutes(Map<String, ? extends JsonNode> routes) {
        List<ConfigProblem> problems = new ArrayList<>();
        routes.forEach((name, document) ->
                problems.addAll(RouteValidation.underRoutes(name, RouteValidation.problems(compiler, name, document))));
        if (!problems.isEmpty()) return CompletableFuture.completedFuture(new RouteStore.ImportResult(0, problems));
        Map<String, ObjectNode> copies = new LinkedHashMap<>();
        routes.forEach((name, document) -> copies.put(name, ((ObjectNode) document).deepCopy()));
        return onWriter(() -> {
            State current = state;
            long counter = current.counter();
            Instant now = clock.instant();
            Map<String, StoredRoute> next = new TreeMap<>(current.stored());
            for (Map.Entry<String, ObjectNode> route : copies.entrySet()) {
                next.put(route.getKey(), new StoredRoute(route.getKey(), route.getValue(), ++counter, now));
            }
            commit(new State(counter, next, compileAll(next, compiler, file)));
            return new RouteStore.ImportResult(copies.size(), List.of());
        });
    }

    @Override
    public CompletableFuture<Map<String, ObjectNode>> exportAll() {
        Map<String, ObjectNode> documents = new LinkedHashMap<>();
        state.stored().forEach((name, route) -> documents.put(name, route.document()));
        return CompletableFuture.completedFuture(documents);
    }

    /** Written to disk first: the calls and readers see a change only once it would survive a crash. */
    private void commit(State next) throws IOException {
        write(file, next);
        state = next;
    }

    private interface Write<T> {
        T run() throws IOException;
    }

    private <T> CompletableFuture<T> onWriter(Write<T> work) {
        Supplier<T> task = () -> {
            try {
                return work.run();
            } catch (IOException e) {
                throw new LocalStoreException("cannot write the local route store " + file + ": " + e.getMessage(), e);
            }
        };
        try {
            return CompletableFuture.supplyAsync(task, writer);
        } catch (RuntimeException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
    }

    private static Map<String, Route> compileAll(Map<String, StoredRoute> stored, RouteCompiler compiler, Path file) {
        Map<String, Route> compiled = new LinkedHashMap<>();
        for (StoredRoute route : stored.values()) {
            RouteParseResult result;
            try {
                result = compiler.compile(route.name(), route.document());
            } catch (RuntimeException e) {
                log.error("route {} in {} cannot be compiled, not served: {}", route.name(), file, e.toString());
                continue;
            }
            result.route().ifPresentOrElse(r -> compiled.put(route.name(), r),
                    () -> log.error("route {} in {} does not validate, not served: {}", route.name(), file, result.problems()));
        }
        return Map.copyOf(compiled);
    }

    private static State read(Path file, RouteCompiler compiler) throws IOException {
        JsonNode root = RouteStore.JSON.readTree(file.toFile());
        if (root == null || !root.path("routes").isObject()) throw new IOException(file + " is not a crmroute local route store");
        long counter = root.path("counter").asLong();
        Map<String, StoredRoute> stored = new TreeMap<>();
        var entries = root.path("routes").fields();
        while (entries.hasNext()) {
            var entry = entries.next();
            JsonNode route = entry.getValue();
            if (!route.path("document").isObject()) throw new IOException(file + ": route " + entry.getKey() + " has no document");
            long version = route.path("version").asLong();
            stored.put(entry.getKey(), new StoredRoute(entry.getKey(), (ObjectNode) route.get("document"), version,
                    Instant.parse(route.path("updated").asText())));
            counter = Math.max(counter, version);
        }
        return new State(counter, stored, compileAll(stored, compiler, file));
    }

    private static void write(Path file, State state) throws IOException {
        ObjectNode root = RouteStore.JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("counter", state.counter());
        ObjectNode routes = root.putObject("routes");
        state.stored().forEach((name, route) -> {
            ObjectNode entry = routes.putObject(name);
            entry.put("version", route.version());
            entry.put("updated", route.updatedAt().toString());
            entry.set("document", route.document());
        });
        byte[] bytes = RouteStore.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncFolder(file.toAbsolutePath().getParent());
    }

    /** The rename itself is durable only once the folder is; not every file system can open one. */
    private static void syncFolder(Path folder) {
        if (folder == null) return;
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot fsync folder {}: {}", folder, e.toString());
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
