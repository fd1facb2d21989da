package io.crmroute.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The .deb that {@code mvn package} built, checked as an Asterisk host would use it: its metadata and
 * files, then (as root, on a Debian machine without crmroute) installed into this very system with
 * {@code dpkg -i}, its unit verified by systemd, {@code crmroute check} run from the installed path on the
 * installed config as the crmroute user, {@code crmroute serve} run as that user (writing only to
 * /var/lib/crmroute, exiting 0 on SIGTERM), and purged again. CI runs as root on Debian 12, so there it
 * always installs; elsewhere the install part is skipped and says why.
 */
class DebianPackageIT {

    static final Path UNIT = Path.of("/lib/systemd/system/crmroute.service");

    @Test
    void thePackageShipsTheJarLauncherConfigAndUnitAndDependsOnJava17() throws Exception {
        Path deb = builtPackage();
        String info = Command.run("dpkg-deb", "--info", deb.toString()).succeeded().output();
        assertTrue(info.contains("Package: crmroute"), info);
        assertTrue(info.contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless"), info);
        assertEquals("/etc/crmroute/crmroute.yaml\n/etc/crmroute/demo-crm.json\n", control(deb, "conffiles"),
                "an upgrade keeps the admin's edits of these");
        String contents = Command.run("dpkg-deb", "--contents", deb.toString()).succeeded().output();
        for (String file : List.of("./usr/share/crmroute/crmroute.jar", "./usr/bin/crmroute", "./etc/crmroute/crmroute.yaml",
                "./lib/systemd/system/crmroute.service", "./usr/share/doc/crmroute/dialplan-examples/extensions.conf")) {
            assertTrue(contents.contains(file), file + " in\n" + contents);
        }
        assertTrue(contents.lines().anyMatch(line -> line.startsWith("-rwxr-xr-x root/root") && line.endsWith("./usr/bin/crmroute")),
                contents);
    }

    @Test
    void installsWithDpkgVerifiesChecksItsConfigAndPurgesClean() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "dpkg -i needs root (CI runs as root)");
        assumeTrue(Command.exists("dpkg") && Command.exists("systemd-analyze"), "needs a Debian system with systemd installed");
        assumeTrue(Command.run("dpkg-query", "-W", "-f=${Status}", "crmroute").output().contains("not-installed")
                        || Command.run("dpkg-query", "-W", "crmroute").exit() != 0,
                "crmroute is installed on this machine: not touching a real installation");
        boolean userExisted = Command.run("getent", "passwd", "crmroute").exit() == 0;
        try {
            Command.run("dpkg", "-i", builtPackage().toString()).succeeded();

            assertEquals("crmroute crmroute 750", Command.run("stat", "-c", "%U %G %a", "/var/lib/crmroute").succeeded().output().strip());
            assertEquals("/usr/sbin/nologin", Command.run("getent", "passwd", "crmroute").succeeded().output().strip().replaceAll(".*:", ""));
            Command verify = Command.run("systemd-analyze", "verify", UNIT.toString());
            assertEquals(0, verify.exit(), verify.output());
            assertEquals(List.of(), verify.output().lines().filter(line -> line.contains("crmroute")).toList());

            Command check = Command.run("runuser", "-u", "crmroute", "--", "/usr/bin/crmroute", "check", "--config",
                    "/etc/crmroute/crmroute.yaml").succeeded();
            assertEquals("/etc/crmroute/crmroute.yaml: OK (1 CRMs, 2 routes)", check.output().strip());
            assertTrue(Files.exists(Path.of("/etc/systemd/system/multi-user.target.wants/crmroute.service")),
                    "enabled at install, as debhelper does");
            servesAsTheCrmrouteUserWritingOnlyToVarLib();
        } finally {
            Command.run("dpkg", "--purge", "crmroute").succeeded();
            if (!userExisted) Command.run("deluser", "--system", "--quiet", "crmroute");
        }
        for (String gone : List.of("/usr/bin/crmroute", "/usr/share/crmroute", "/etc/crmroute", "/var/lib/crmroute", UNIT.toString(),
                "/etc/systemd/system/multi-user.target.wants/crmroute.service")) {
            assertFalse(Files.exists(Path.of(gone)), gone + " is left after dpkg --purge");
        }
    }

    /**
     * {@code serve} as the unit runs it, minus systemd: the crmroute user, the installed launcher and config.
     * The shipped config opens the console's local route store at start; not being root, crmroute could
     * not write into root's /etc/crmroute even if it tried, and the store appears in /var/lib/crmroute.
     */
    private static void servesAsTheCrmrouteUserWritingOnlyToVarLib() throws Exception {
        List<String> etcBefore = listing("/etc/crmroute");
        Process serve = new ProcessBuilder("/usr/bin/setpriv", "--reuid=crmroute", "--regid=crmroute", "--init-groups",
                "/usr/bin/env", "CRMROUTE_AGI_HOST=127.0.0.1", "CRMROUTE_AGI_PORT=0", "CRMROUTE_HTTP_PORT=0",
                "/usr/bin/crmroute", "serve", "--config", "/etc/crmroute/crmroute.yaml").redirectErrorStream(true).start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread pump = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) lines.add(line);
                } catch (IOException ended) {
                    // the process is gone
                }
            }, "installed-serve-output");
            pump.setDaemon(true);
            pump.start();
            Matcher serving = SERVING.matcher(awaitLine(lines, "crmroute serving FastAGI"));
            assertTrue(serving.find());
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + serving.group(1) + "/health")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("crmroute", Files.getOwner(Path.of("/var/lib/crmroute/crmroute.yaml.routes.json")).getName());
            // crmroute.jsa: the launcher's class-data sharing archive, made by the first run (check, above) as the crmroute user
            assertEquals(List.of("crmroute.jsa", "crmroute.jsa.stamp", "crmroute.yaml.routes.json"), listing("/var/lib/crmroute"));
            assertEquals("crmroute", Files.getOwner(Path.of("/var/lib/crmroute/crmroute.jsa")).getName());
            assertEquals(etcBefore, listing("/etc/crmroute"));

            serve.toHandle().destroy(); // SIGTERM, as systemctl stop sends; Process.destroy() would close its output too
            awaitLine(lines, "crmroute stopped");
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "ended after SIGTERM");
            assertEquals(0, serve.exitValue(), "a stop is not a failure (Restart=on-failure)");
        } finally {
            serve.destroyForcibly();
        }
    }

    private static final Pattern SERVING = Pattern.compile("and HTTP on [^ ]+:(\\d+)");

    /** The first line containing {@code text}, waiting at most a minute for it. */
    private static String awaitLine(BlockingQueue<String> lines, String text) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        for (String line = lines.poll(60, TimeUnit.SECONDS); line != null; line = lines.poll(60, TimeUnit.SECONDS)) {
            seen.append(line).append('\n');
            if (line.contains(text)) return line;
        }
        throw new AssertionError("no line with \"" + text + "\" within a minute of the last one; output:\n" + seen);
    }

    private static List<String> listing(String dir) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static String control(Path deb, String member) throws IOException, InterruptedException {
        return Command.run("sh", "-c", "dpkg-deb --ctrl-tarfile '" + deb + "' | tar -xOf - ./" + member).succeeded().output();
    }

    /** The one .deb in target/. */
    static Path builtPackage() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> debs = files.filter(file -> file.getFileName().toString().matches("crmroute_.*_all\\.deb")).toList();
            assertEquals(1, debs.size(), "one package in target/: " + debs);
            return debs.get(0);
        }
    }
}
