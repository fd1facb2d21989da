package io.crmroute.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The .deb that {@code mvn package} built, checked as an Asterisk host would use it: its metadata and
 * files, then (as root, on a Debian machine without crmroute) installed into this very system with
 * {@code dpkg -i}, its unit verified by systemd, {@code crmroute check} run from the installed path on the
 * installed config as the crmroute user, and purged again. CI runs as root on Debian 12, so there it
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
        } finally {
            Command.run("dpkg", "--purge", "crmroute").succeeded();
            if (!userExisted) Command.run("deluser", "--system", "--quiet", "crmroute");
        }
        for (String gone : List.of("/usr/bin/crmroute", "/usr/share/crmroute", "/etc/crmroute", "/var/lib/crmroute", UNIT.toString(),
                "/etc/systemd/system/multi-user.target.wants/crmroute.service")) {
            assertFalse(Files.exists(Path.of(gone)), gone + " is left after dpkg --purge");
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
