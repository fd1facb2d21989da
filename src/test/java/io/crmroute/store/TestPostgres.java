package io.crmroute.store;

import io.crmroute.config.DatabaseSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for tests. {@link #shared()} is one server per JVM: the one {@code CRMROUTE_TEST_DB_URL}
 * names (a JDBC URL with {@code user} and {@code password} parameters, whose user may create databases),
 * or else a throwaway server from the Debian install ({@code /usr/lib/postgresql/N/bin}) in a temp dir
 * on a free port, run as the {@code postgres} OS user when the tests run as root (PostgreSQL refuses
 * root), stopped and deleted at JVM exit. {@link #startPrivate()} gives a server of one's own, for tests
 * that {@link #stop()} and {@link #start()} it. {@link #createDatabase} gives each test class a fresh,
 * empty database.
 */
public final class TestPostgres {

    private static final String USER = "crmroute";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final Path dir;          // null for an external server
    private final Path binDir;
    private final int port;
    private final String externalUrl;
    private final String externalUser;
    private final String externalPassword;

    private TestPostgres(Path dir, Path binDir, int port) {
        this.dir = dir;
        this.binDir = binDir;
        this.port = port;
        this.externalUrl = null;
        this.externalUser = null;
        this.externalPassword = null;
    }

    private TestPostgres(String url, String user, String password) {
        this.dir = null;
        this.binDir = null;
        this.port = -1;
        this.externalUrl = url;
        this.externalUser = user;
        this.externalPassword = password;
    }

    /** The JVM's one server: started on first use. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            String url = System.getenv("CRMROUTE_TEST_DB_URL");
            shared = url == null || url.isBlank() ? startPrivate() : external(url);
        }
        return shared;
    }

    /** A new local server of the caller's own, stopped and deleted at JVM exit. */
    public static TestPostgres startPrivate() {
        Path bin = findBinDir();
        try {
            Path dir = Files.createTempDirectory("crmroute-pg");
            TestPostgres server = new TestPostgres(dir, bin, freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "test-postgres-cleanup"));
            server.initdb();
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temp dir for PostgreSQL", e);
        }
    }

    /** Whether this server can be stopped and started (not one given by CRMROUTE_TEST_DB_URL). */
    public boolean controllable() {
        return dir != null;
    }

    public void start() {
        requireControllable();
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100";
        run(pgCtl("-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-o", options, "-w", "-t", "60", "start"));
    }

    /** Stops the server the way an outage does: connections are cut, not drained. */
    public void stop() {
        requireControllable();
        run(pgCtl("-D", dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "60", "stop"));
    }

    /** Stops the server unless it is stopped already: for {@code finally} blocks. */
    public void stopIfRunning() {
        if (controllable() && Files.exists(dir.resolve("data/postmaster.pid"))) stop();
    }

    /** A new, empty database on this server, named after {@code prefix}. */
    public DatabaseSettings createDatabase(String prefix) {
        String name = (prefix.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid());
        try (Connection connection = DriverManager.getConnection(url("postgres"), user(), password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new DatabaseSettings(url(name), user(), password());
    }

    public String url(String database) {
        if (externalUrl == null) return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        // Replace the database part of the given URL, keep its host and parameters.
        int slash = externalUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = externalUrl.indexOf('?');
        String base = slash < 0 ? externalUrl : externalUrl.substring(0, slash);
        return base + "/" + database + (query < 0 ? "" : externalUrl.substring(query));
    }

    private String user() {
        return externalUrl == null ? USER : externalUser;
    }

    private String password() {
        return externalUrl == null ? "" : externalPassword;
    }

    private static TestPostgres external(String url) {
        String user = parameter(url, "user");
        String password = parameter(url, "password");
        return new TestPostgres(url, user == null ? System.getProperty("user.name") : user, password == null ? "" : password);
    }

    private static String parameter(String url, String name) {
        int query = url.indexOf('?');
        if (query < 0) return null;
        for (String pair : url.substring(query + 1).split("&")) {
            if (pair.startsWith(name + "=")) return pair.substring(name.length() + 1);
        }
        return null;
    }

    private void initdb() {
        if (runningAsRoot()) run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        run(List.of(binDir.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
    }

    private List<String> pgCtl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binDir.resolve("pg_ctl").toString());
        command.addAll(List.of(args));
        return command;
    }

    private void run(List<String> command) {
        run(command, runningAsRoot());
    }

    private void run(List<String> command, boolean asPostgres) {
        List<String> full = new ArrayList<>();
        if (asPostgres) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        try {
            Path output = Files.createTempFile("crmroute-pg-cmd", ".log");
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", full));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("failed (exit " + process.exitValue() + "): " + String.join(" ", full) + "\n" + text + serverLog());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", full), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
        }
    }

    private String serverLog() {
        try {
            Path log = dir == null ? null : dir.resolve("server.log");
            return log != null && Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void destroy() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                run(pgCtl("-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
            }
        } catch (RuntimeException ignored) {
            // Best effort at exit; the temp dir is removed below either way.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // Nothing more to do at exit.
        }
    }

    private void requireControllable() {
        if (!controllable()) throw new IllegalStateException("the server CRMROUTE_TEST_DB_URL names cannot be stopped or started by tests");
    }

    private static Path findBinDir() {
        Path root = Paths.get("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(bin -> versionNumber(bin.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: these tests need a real server."
                            + " Install it with `apt-get install -y postgresql` (they use /usr/lib/postgresql/*/bin/initdb and pg_ctl),"
                            + " or set CRMROUTE_TEST_DB_URL=jdbc:postgresql://host:port/db?user=..&password=.."));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + root, e);
        }
    }

    private static int versionNumber(String text) {
        try {
            return Integer.parseInt(text.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
