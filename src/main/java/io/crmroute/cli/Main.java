package io.crmroute.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code crmroute serve | check | simulate | fields | import | export}: see DESIGN.md's "Running it". */
@Command(name = "crmroute", mixinStandardHelpOptions = true, version = "crmroute 0.1.0",
        description = "FastAGI server that routes Asterisk calls on data looked up in a CRM.",
        subcommands = {ServeCommand.class, CheckCommand.class, SimulateCommand.class, FieldsCommand.class, ImportCommand.class,
                ExportCommand.class, SelfTestCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
