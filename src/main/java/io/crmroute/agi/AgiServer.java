package io.crmroute.agi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI listener: binds, hands each call to an {@link AgiCallHandler}, and shuts down
 * gracefully. The package's entry point:
 *
 * <pre>{@code
 * AgiServer server = AgiServer.start(AgiServerOptions.defaults("0.0.0.0", 4573, List.of("10.0.0.0/8")),
 *         session -> session.send(new SetVariableCommand("CRMROUTE_STATUS", "DEFAULT")));
 * ...
 * AgiServer.Drained drained = server.close(Duration.ofSeconds(10));
 * }</pre>
 *
 * Stopping closes the listening socket first, so Asterisk's next connection is refused at once
 * (AGISTATUS=FAILURE, the dialplan's fallback runs) instead of waiting on a server going away.
 */
public final class AgiServer implements AutoCloseable {

    /** How long {@link #close()} lets calls in progress finish before closing them. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(3);

    /** Where Linux says how many pending connections a listening socket may queue at most. */
    static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

    private static final Logger log = LoggerFactory.getLogger(AgiServer.class);

    /** How a drain ended: calls in progress when the port closed that finished, and those closed unfinished. */
    public record Drained(int finished, int cut) {}

    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private volatile int inProgressWhenStopped;

    private final EventLoopGroup workers;
    private final Channel listener;
    private final ChannelGroup sessions;
    private final AgiServerStats stats;

    private AgiServer(EventLoopGroup workers, Channel listener, ChannelGroup sessions, AgiServerStats stats) {
        this.workers = workers;
        this.listener = listener;
        this.sessions = sessions;
        this.stats = stats;
    }

    /** Binds {@code options.host():options.port()} (blocking until bound) and starts serving calls. */
    public static AgiServer start(AgiServerOptions options, AgiCallHandler handler) {
        return start(options, handler, newWorkers(options));
    }

    /** The worker loops {@code options} ask for, to be shared before the server starts (the CRM client runs on them). */
    public static EventLoopGroup newWorkers(AgiServerOptions options) {
        return new NioEventLoopGroup(options.workerThreads(), new DefaultThreadFactory("agi-worker"));
    }

    /** As {@link #start(AgiServerOptions, AgiCallHandler)} on {@code workers} (from {@link #newWorkers}), which it stops when closed. */
    public static AgiServer start(AgiServerOptions options, AgiCallHandler handler, EventLoopGroup workers) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        ChannelGroup sessions = new DefaultChannelGroup("agi-sessions", GlobalEventExecutor.INSTANCE);
        AgiServerStats stats = new AgiServerStats();
        try {
            Channel listener = new ServerBootstrap()
                    // The listener shares the workers' loops: a separate accept thread cost a thread wake-up
                    // and a cross-thread hand-off per call, for accepts that take microseconds.
                    .group(workers, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, options.backlog())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new AgiChannelInitializer(handler, options, stats, sessions))
                    .bind(options.host(), options.port())
                    .syncUninterruptibly()
                    .channel();
            AgiServer server = new AgiServer(workers, listener, sessions, stats);
            log.info("FastAGI listening on {} (allow: {}, backlog {}, at most {} connections per source, {} in all)",
                    listener.localAddress(), options.allow(), options.backlog(), options.maxConnectionsPerSource(),
                    options.maxConnections());
            openToEveryone(options.allowRanges()).ifPresent(ranges -> log.warn("FastAGI is open to every address in {}:"
                    + " FastAGI has no authentication, whoever reaches port {} can make calls route; list the Asterisk"
                    + " servers in server.agi.allow instead", ranges, server.port()));
            backlogWarning(options.backlog(), kernelBacklogCap(SOMAXCONN)).ifPresent(log::warn);
            return server;
        } catch (RuntimeException e) {
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot listen for FastAGI on " + options.host() + ":" + options.port() + ": " + e, e);
        }
    }

    /** The bound port: the one the system chose when the options asked for port 0. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public AgiServerStats stats() {
        return stats;
    }

    /**
     * Closes the listening socket (new connections are refused from now on) and returns how many calls
     * are in progress. Calls in progress go on; {@link #close(Duration)} waits for them.
     */
    public int stopAccepting() {
        if (accepting.compareAndSet(true, false)) {
            listener.close().syncUninterruptibly();
            releaseListeningSocket();
            inProgressWhenStopped = sessions.size();
        }
        return inProgressWhenStopped;
    }

    /**
     * The JDK closes a socket registered with a selector only when that selector next deregisters it;
     * until then the kernel still completes connections, which nobody will accept. A fresh selector for
     * the listener's loop closes the old one, and the socket with it, before this returns: from here on
     * Asterisk is refused at once.
     */
    private void releaseListeningSocket() {
        if (listener.eventLoop() instanceof NioEventLoop loop) {
            loop.submit(loop::rebuildSelector).syncUninterruptibly();
        }
    }

    /** Stops accepting, lets calls in progress finish for {@link #DEFAULT_SHUTDOWN_GRACE}, then closes them. */
    @Override
    public void close() {
        close(DEFAULT_SHUTDOWN_GRACE);
    }

    /**
     * Stops accepting, lets calls in progress finish for up to {@code grace} (each also bounded by its own
     * deadlines), then closes those left and stops the event loops.
     */
    public Drained close(Duration grace) {
        Drained drained = drain(grace);
        stopLoops();
        return drained;
    }

    /**
     * Stops accepting, lets calls in progress finish for up to {@code grace}, then closes those left; the event loops
     * keep running, for what else runs on them (the CRM client's requests: queued write actions still to send).
     */
    public Drained drain(Duration grace) {
        int inProgress = stopAccepting();
        int cut = 0;
        if (!sessions.newCloseFuture().awaitUninterruptibly(grace.toMillis())) {
            cut = Math.min(inProgress, sessions.size());
            log.warn("FastAGI shutdown: closing {} calls still in progress after {}", sessions.size(), grace);
            sessions.close().awaitUninterruptibly(grace.toMillis());
        }
        return new Drained(inProgress - cut, cut);
    }

    /** Stops the event loops (after {@link #drain}). */
    public void stopLoops() {
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The ranges that let every address of their family in, if any. */
    static Optional<List<Cidr>> openToEveryone(List<Cidr> allow) {
        List<Cidr> everyone = allow.stream().filter(Cidr::isEveryone).toList();
        return everyone.isEmpty() ? Optional.empty() : Optional.of(everyone);
    }

    /** The kernel's cap on a listening socket's queue, when this system tells it (Linux). */
    static OptionalInt kernelBacklogCap(Path somaxconn) {
        // Read as a stream: a /proc file reports a size of 0, and reads sized on it can come back cut short.
        try (BufferedReader reader = Files.newBufferedReader(somaxconn)) {
            String line = reader.readLine();
            return line == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(line.trim()));
        } catch (IOException | NumberFormatException | SecurityException unknown) {
            return OptionalInt.empty();
        }
    }

    /** A warning when the kernel silently queues fewer connections than configured. */
    static Optional<String> backlogWarning(int backlog, OptionalInt kernelCap) {
        if (kernelCap.isEmpty() || backlog <= kernelCap.getAsInt()) return Optional.empty();
        int cap = kernelCap.getAsInt();
        return Optional.of("server.agi.backlog is " + backlog + " but the kernel queues at most " + cap
                + " (net.core.somaxconn): a burst of more than " + cap + " calls at once may be refused;"
                + " raise it with sysctl -w net.core.somaxconn=" + backlog);
    }
}
