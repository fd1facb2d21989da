package io.crmroute.cli;

import io.crmroute.app.CrmrouteServer;
import io.crmroute.config.CrmrouteConfig;
import java.util.Optional;
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
        Optional<CrmrouteConfig> loaded = config.load(spec.commandLine().getErr());
        if (loaded.isEmpty()) return 1;
        CrmrouteServer server = CrmrouteServer.start(loaded.get());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "crmroute-shutdown"));
        stopped.await();
        return 0;
    }
}
