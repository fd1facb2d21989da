package io.crmroute.cli;

import ch.qos.logback.classic.LoggerContext;
import io.crmroute.app.CrmrouteServer;
import io.crmroute.config.ConfigResult;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Starts the FastAGI listener and the HTTP port; runs until the process is stopped. SIGTERM (docker
 * stop, systemctl stop) or SIGINT stops it gracefully, as {@link CrmrouteServer#close()} describes,
 * and the process exits 0 once that is done.
 */
@Command(name = "serve", description = "Start the FastAGI listener and the HTTP port.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ConfigResult loaded = config.loadResult(spec.commandLine().getErr());
        // The hook is there before anything opens: a SIGTERM while crmroute starts (systemd, docker stop) waits for the
        // start to end and then stops it as any other, rather than killing a half-started server with exit 143.
        CompletableFuture<CrmrouteServer> started = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.thenAccept(ServeCommand::stop).exceptionally(failedToStart -> null).join(), "crmroute-shutdown"));
        try {
            // A broken config still gets a listener: calls are answered ERROR at once, /health says DOWN.
            started.complete(loaded.config().isPresent()
                    ? CrmrouteServer.start(loaded.config().get())
                    : CrmrouteServer.startBroken(loaded.server(), config.file, loaded.problems()));
        } catch (RuntimeException | Error e) {
            started.completeExceptionally(e);
            throw e;
        }
        new CountDownLatch(1).await(); // serve until the process is stopped: the hook ends it
        return 0;
    }

    /**
     * Drains and closes {@code server}, writes out the log, and ends the JVM with 0, or 1 when closing
     * failed. Left to itself the JVM would exit 143 (128 + SIGTERM) even after a complete, orderly stop,
     * which docker and systemd report as a failure; halting here skips nothing of ours, as the log
     * queue is flushed first.
     */
    private static void stop(CrmrouteServer server) {
        int status = 0;
        try {
            server.close();
        } catch (RuntimeException | Error e) {
            log.error("crmroute did not stop cleanly", e);
            status = 1;
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) logging.stop();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
