package io.crmroute.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.config.DatabaseSettings;
import io.crmroute.store.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code crmroute import} then {@code crmroute export} against a real PostgreSQL give the routes back. */
class ImportExportTest {

    @Test
    void theShippedRoutesGoIntoTheDatabaseAndComeBackTheSame(@TempDir Path dir) throws Exception {
        DatabaseSettings db = TestPostgres.shared().createDatabase("cli");
        Path shipped = Path.of("config/crmroute.yaml").toAbsolutePath();
        Files.copy(shipped.resolveSibling("demo-crm.json"), dir.resolve("demo-crm.json"));
        // The shipped vip route, with write actions (the file CRM cannot do them, but import and export carry them as written).
        String shippedText = Files.readString(shipped);
        String vipFailure = "    failure:  { to: { queue: 900 } }\n";
        int vipEnd = shippedText.indexOf(vipFailure) + vipFailure.length();
        String withActions = shippedText.substring(0, vipEnd)
                + "    actions:\n"
                + "      nomatch: [ { create: Lead, mode: sync, key-field: Call_Key__c, set: { Phone: \"{callerid}\", Note: \"{{x}} {now}\" } } ]\n"
                + "      match: [ { update: records, set: { Last_Call__c: \"{now}\" } }, { log-call: true, subject: \"Call to {dnid}\", retry-for: 1h } ]\n"
                + shippedText.substring(vipEnd);
        String withDatabase = withActions + "\ndatabase: { url: \"" + db.url() + "\", user: \"" + db.user()
                + "\", password: \"" + db.password() + "\" }\n";
        Path config = dir.resolve("crmroute.yaml");
        Files.writeString(config, withDatabase);

        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "import", "--config", config.toString()));
        assertTrue(out.toString().startsWith("imported 2 routes into jdbc:postgresql://"), out.toString());

        Path exported = dir.resolve("routes.yaml");
        assertEquals(0, run(new StringWriter(), "export", "--config", config.toString(), "--out", exported.toString()));
        String withoutRoutes = withDatabase.substring(0, withDatabase.indexOf("\nroutes:")) + "\n";
        ConfigResult original = ConfigLoader.load(config, Map.of());
        ConfigResult reread = ConfigLoader.parse(withoutRoutes + Files.readString(exported), dir, Map.of());
        assertEquals(java.util.List.of(), reread.problems());
        assertEquals(original.config().orElseThrow().routes(), reread.config().orElseThrow().routes());
        assertEquals(2, reread.config().orElseThrow().routes().get("vip").actions().byOutcome().size());
    }

    @Test
    void aConfigWithoutADatabaseIsAClearError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("export", "--config", "config/crmroute.yaml"));
        assertTrue(err.toString().contains("has no database: section"), err.toString());
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        if (code != 0) System.err.println(err);
        return code;
    }
}
