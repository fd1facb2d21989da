package io.crmroute.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code crmroute serve | check | simulate | fields | import | export}: see DESIGN.md's "Running it". */
@Command(name = "crmroute", mixinStandardHelpOptions = true, version = "crmroute 0.1.0",
        description = "FastAGI server that routes Asterisk calls on data looked up in a CRM.",
        subcommands = {ServeCommand.class, CheckCommand.class, SimulateCommand.class, FieldsCommand.class, ImportCommand.class,
                ExportCommand.class, SelfTestCommand.class})
public final class Main {

    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        // java.net.http hands every async response to CompletableFuture's default executor. With fewer
        // than 2 common-pool threads (any machine with 2 cores or less) that executor starts a new
        // thread per response: thousands of threads under load. Set before anything uses the pool.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
