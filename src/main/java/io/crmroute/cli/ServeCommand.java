package io.crmroute.cli;

import io.crmroute.app.CrmrouteServer;
import io.crmroute.config.ConfigResult;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Starts the FastAGI listener and the HTTP port; runs until the process is stopped. */
@Command(name = "serve", description = "Start the FastAGI listener and the HTTP port.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ConfigResult loaded = config.loadResult(spec.commandLine().getErr());
        // A broken config still gets a listener: calls are answered ERROR at once, /health says DOWN.
        CrmrouteServer server = loaded.config().isPresent()
                ? CrmrouteServer.start(loaded.config().get())
                : CrmrouteServer.startBroken(loaded.server(), config.file, loaded.problems());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "crmroute-shutdown"));
        stopped.await();
        return 0;
    }
}
