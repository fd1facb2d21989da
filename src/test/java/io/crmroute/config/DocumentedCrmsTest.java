package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.crmroute.crm.CrmType;
import io.crmroute.crm.CrmTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every CRM entry the docs show an admin (docs/crms/*.md) passes {@code crmroute check}. */
class DocumentedCrmsTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final Pattern TABLE_KEY = Pattern.compile("`([a-z.-]+)`");
    /** Types with no vendor behind them: their keys are in the README. */
    private static final Set<String> LOCAL_TYPES = Set.of("file", "http");

    static Stream<Path> documents() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("docs/crms"))) {
            List<Path> markdown = files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
            List<String> vendors = CrmTypes.all().stream().map(CrmType::id).filter(id -> !LOCAL_TYPES.contains(id)).sorted().toList();
            assertEquals(vendors.stream().map(id -> id + ".md").toList(), markdown.stream().map(f -> f.getFileName().toString()).toList(),
                    "one page per vendor CRM type, named by its type");
            return markdown.stream();
        }
    }

    /** The page's key table lists exactly the keys its type takes (first column, {@code `auth.username`, `auth.password`}). */
    @ParameterizedTest
    @MethodSource("documents")
    void theKeyTableListsEveryKeyOfTheType(Path document) throws IOException {
        String id = document.getFileName().toString().replace(".md", "");
        Set<String> documented = new TreeSet<>();
        for (String row : Files.readAllLines(document)) {
            if (!row.startsWith("| `")) continue;
            Matcher key = TABLE_KEY.matcher(row.split("\\|")[1]);
            while (key.find()) documented.add(key.group(1));
        }
        Set<String> declared = new TreeSet<>();
        CrmTypes.named(id).keys().forEach(key -> declared.add(key.path()));
        assertEquals(declared, documented, document + ": the key table");
    }

    @ParameterizedTest
    @MethodSource("documents")
    void theDocumentedCrmEntryIsValid(Path document) throws IOException {
        Matcher block = YAML_BLOCK.matcher(Files.readString(document));
        List<String> entries = new ArrayList<>();
        while (block.find()) if (block.group(1).startsWith("crms:")) entries.add(block.group(1));
        assertFalse(entries.isEmpty(), document + " shows a crms: entry");
        for (String yaml : entries) {
            String crms = yaml.contains("\nroutes:") ? yaml.substring(0, yaml.indexOf("\nroutes:") + 1) : yaml;
            String name = crms.lines().skip(1).findFirst().orElseThrow().trim().replace(":", "");
            Map<String, String> env = new HashMap<>();
            Matcher variable = ENV.matcher(crms);
            // Shaped like an id (no _), so it fits keys that take ids such as auth.tenant-id.
            while (variable.find()) env.put(variable.group(1), "value-of-" + variable.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
            String config = crms + "routes:\n  r:\n    crm: " + name + "\n    object: Contact\n    field: status\n"
                    + "    default: { to: { queue: \"1\" } }\n";
            assertEquals(List.of(), ConfigLoader.parse(config, Path.of("."), env).problems(), document + ":\n" + config);
        }
    }
}
