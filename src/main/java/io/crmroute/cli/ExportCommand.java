package io.crmroute.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmroute.config.CrmrouteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes the database's routes as a YAML {@code routes:} section, to paste into a config or keep. */
@Command(name = "export", description = "Print the database's routes as a YAML routes: section.")
final class ExportCommand implements Callable<Integer> {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Mixin
    ConfigOption config;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Optional<CrmrouteConfig> loaded = config.load(spec.commandLine().getErr());
        if (loaded.isEmpty()) return 1;
        Map<String, ObjectNode> routes = RouteDatabase.with(loaded.get(), store -> store.exportAll());
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        routes.forEach(root.putObject("routes")::set);
        String yaml = YAML.writeValueAsString(root);
        if (out == null) {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(out, yaml);
            spec.commandLine().getErr().printf("exported %d routes to %s%n", routes.size(), out);
            spec.commandLine().getErr().flush();
        }
        return 0;
    }
}
