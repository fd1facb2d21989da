package io.crmroute.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.Secrets;
import io.crmroute.crm.CrmType;
import io.crmroute.route.Route;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a crmroute YAML config: substitutes {@code ${ENV}}, validates every key once and gives either
 * the config or every problem found, each with its key path and line. Nothing here logs: the caller
 * decides how problems are shown, and no message carries a value that came from the environment.
 */
public final class ConfigLoader {

    private static final Set<String> TOP_KEYS = Set.of("server", "crms", "routes", "database", "admin", "node");
    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    private ConfigLoader() {}

    /** Reads {@code file}; relative paths in it ({@code path:} of a file CRM) are relative to its folder. */
    public static ConfigResult load(Path file, Map<String, String> env) {
        Path absolute = file.toAbsolutePath().normalize();
        String label = String.valueOf(absolute.getFileName());
        String yaml;
        try {
            yaml = Files.readString(absolute);
        } catch (NoSuchFileException missing) {
            return failed(label, "no such file: " + absolute);
        } catch (CharacterCodingException notUtf8) {
            return failed(label, "not UTF-8 text");
        } catch (IOException unreadable) {
            return failed(label, "cannot read " + absolute + " (" + unreadable.getClass().getSimpleName() + ")");
        }
        return read(yaml, absolute, label, env);
    }

    /** Reads {@code yaml} as if it were {@code crmroute.yaml} in {@code configDir}. */
    public static ConfigResult parse(String yaml, Path configDir, Map<String, String> env) {
        return read(yaml, configDir.toAbsolutePath().normalize().resolve("crmroute.yaml"), "config", env);
    }

    private static ConfigResult read(String yaml, Path file, String label, Map<String, String> environment) {
        YamlTree.Parsed parsed = YamlTree.read(yaml, label);
        Problems problems = parsed.problems();
        if (!problems.isEmpty()) return finish(problems, parsed.lines(), Set.of(), Optional.empty());
        if (parsed.root() == null || !parsed.root().isObject()) {
            problems.add(label, "expected a map with server, crms and routes" + (parsed.root() == null ? " (the file is empty)" : ""));
            return finish(problems, parsed.lines(), Set.of(), Optional.empty());
        }
        EnvSubstitution.Result substituted = EnvSubstitution.apply(parsed.root(), environment, problems);
        Section root = Section.of(substituted.root(), "", problems).orElseThrow();
        root.onlyKeys(TOP_KEYS);
        Path configDir = file.getParent();

        ServerSettings server = ServerReader.read(root.section("server")).withNode(ServerReader.node(root));
        Map<String, CrmSpec> crms = new LinkedHashMap<>();
        Map<String, CrmSpec> knownCrms = new LinkedHashMap<>();
        root.section("crms").ifPresent(section -> readCrms(section, configDir, substituted, problems, crms, knownCrms));
        Map<String, Route> routes = new LinkedHashMap<>();
        root.section("routes").ifPresent(section -> readRoutes(section, knownCrms, problems, routes));
        Optional<DatabaseSettings> database = root.section("database").flatMap(ConfigLoader::database);
        // Without admin.token the admin API is off, even with a database: routes then change only by file.
        Optional<String> adminToken = root.section("admin").flatMap(admin -> {
            admin.onlyKeys(Set.of("token"));
            return admin.requiredText("token");
        });

        Optional<CrmrouteConfig> config = Optional.of(new CrmrouteConfig(server, Collections.unmodifiableMap(crms),
                Collections.unmodifiableMap(routes), database, adminToken, file));
        Set<String> secrets = substituted.valuesByPath().values().stream().flatMap(Collection::stream).collect(Collectors.toSet());
        return finish(problems, parsed.lines(), secrets, config, server);
    }

    private static void readCrms(Section section, Path configDir, EnvSubstitution.Result substituted, Problems problems,
                                 Map<String, CrmSpec> crms, Map<String, CrmSpec> knownCrms) {
        for (String name : section.keys()) {
            String path = section.pathOf(name);
            int before = problems.size();
            if (!section.has(name)) section.problem(name, "expected a map with at least type");
            Optional<CrmSpec> spec = section.section(name)
                    .flatMap(entry -> CrmReader.read(name, entry, configDir, substituted.valuesUnder(path)));
            if (spec.isPresent() && problems.size() == before) {
                crms.put(name, spec.get());
                knownCrms.put(name, spec.get());
            } else {
                // Routes may still name a broken CRM; they are told about their own problems, not "undefined".
                knownCrms.put(name, CrmSpec.standIn(name, CrmReader.type(section.raw(name)).orElse(CrmType.UNREAD)));
            }
        }
    }

    private static void readRoutes(Section section, Map<String, CrmSpec> crms, Problems problems, Map<String, Route> routes) {
        for (String name : section.keys()) {
            JsonNode node = section.raw(name);
            RouteParseResult result = RouteParser.parse(name, node, crms, section.pathOf(name) + ".");
            problems.addAll(result.problems());
            result.route().ifPresent(route -> routes.put(name, route));
        }
    }

    private static Optional<DatabaseSettings> database(Section database) {
        database.onlyKeys(Set.of("url", "user", "password"));
        Optional<String> url = database.requiredText("url").filter(text -> {
            if (text.startsWith(JDBC_PREFIX) && text.length() > JDBC_PREFIX.length()) return true;
            database.problem("url", "expected a PostgreSQL JDBC URL like jdbc:postgresql://127.0.0.1:5432/crmroute");
            return false;
        });
        Optional<String> user = database.requiredText("user");
        String password = database.text("password").orElse("");
        if (url.isEmpty() || user.isEmpty()) return Optional.empty();
        return Optional.of(new DatabaseSettings(url.get(), user.get(), password));
    }

    private static ConfigResult failed(String label, String message) {
        return new ConfigResult(Optional.empty(), List.of(new ConfigProblem(label, OptionalInt.empty(), message)));
    }

    /** Gives each problem its line, hides environment values in messages, orders problems as the file is. */
    private static ConfigResult finish(Problems problems, Map<String, Integer> lines, Set<String> secrets, Optional<CrmrouteConfig> config) {
        return finish(problems, lines, secrets, config, null);
    }

    private static ConfigResult finish(Problems problems, Map<String, Integer> lines, Set<String> secrets,
                                       Optional<CrmrouteConfig> config, ServerSettings server) {
        if (problems.isEmpty()) return new ConfigResult(config, List.of());
        List<ConfigProblem> located = problems.list().stream()
                .map(problem -> new ConfigProblem(problem.path(),
                        problem.line().isPresent() ? problem.line() : KeyPaths.line(lines, problem.path()),
                        Secrets.mask(problem.message(), secrets)))
                .sorted(Comparator.comparingInt(problem -> problem.line().orElse(Integer.MAX_VALUE)))
                .collect(Collectors.toList());
        return new ConfigResult(Optional.empty(), located, server);
    }

}
