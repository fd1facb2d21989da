package io.crmroute.agi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
 * server.close();
 * }</pre>
 */
public final class AgiServer implements AutoCloseable {

    /** How long {@link #close()} lets calls in progress finish before closing them. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(AgiServer.class);

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
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        EventLoopGroup workers = new NioEventLoopGroup(options.workerThreads(), new DefaultThreadFactory("agi-worker"));
        ChannelGroup sessions = new DefaultChannelGroup("agi-sessions", GlobalEventExecutor.INSTANCE);
        AgiServerStats stats = new AgiServerStats();
        try {
            Channel listener = new ServerBootstrap()
                    // The listener shares the workers' loops: a separate accept thread cost a thread wake-up
                    // and a cross-thread hand-off per call, for accepts that take microseconds.
                    .group(workers, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new AgiChannelInitializer(handler, options, stats, sessions))
                    .bind(options.host(), options.port())
                    .syncUninterruptibly()
                    .channel();
            AgiServer server = new AgiServer(workers, listener, sessions, stats);
            log.info("FastAGI listening on {} (allow: {})", listener.localAddress(),
                    options.allow().isEmpty() ? "everyone" : options.allow());
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

    /** Stops accepting, lets calls in progress finish for {@link #DEFAULT_SHUTDOWN_GRACE}, then closes them. */
    @Override
    public void close() {
        close(DEFAULT_SHUTDOWN_GRACE);
    }

    public void close(Duration grace) {
        listener.close().syncUninterruptibly();
        if (!sessions.newCloseFuture().awaitUninterruptibly(grace.toMillis())) {
            log.warn("FastAGI shutdown: closing {} calls still in progress after {}", sessions.size(), grace);
            sessions.close().awaitUninterruptibly(grace.toMillis());
        }
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
