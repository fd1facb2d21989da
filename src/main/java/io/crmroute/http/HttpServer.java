package io.crmroute.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP port: binds, serves one {@link HttpRouting}, shuts down gracefully. It has event loops of
 * its own, apart from the FastAGI workers, so nothing a peer does here slows a call. Handlers run on
 * the single worker event loop, so they must not block. Reads are driven by the handler (auto-read is
 * off): a connection's next request is read once the previous response is written.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** Bytes read from a connection at a time: bounds the requests one read can queue. */
    static final int MAX_READ = 16 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup worker;
    private final Channel channel;
    private final HttpServerInitializer pipeline;

    private HttpServer(EventLoopGroup boss, EventLoopGroup worker, Channel channel, HttpServerInitializer pipeline) {
        this.boss = boss;
        this.worker = worker;
        this.channel = channel;
        this.pipeline = pipeline;
    }

    /** As {@link #start(String, int, HttpRouting, HttpServerOptions)} with the default limits. */
    public static HttpServer start(String host, int port, HttpRouting routing) {
        return start(host, port, routing, HttpServerOptions.defaults());
    }

    /**
     * Binds {@code host:port} (port 0: any free port) and blocks until it listens.
     *
     * @throws IllegalStateException when it cannot bind (port taken, unknown host)
     */
    public static HttpServer start(String host, int port, HttpRouting routing, HttpServerOptions options) {
        return start(host, port, routing, options, Optional.empty());
    }

    /** As above, with request deadlines and write timeouts scheduled on {@code timers} (tests drive them). */
    static HttpServer start(String host, int port, HttpRouting routing, HttpServerOptions options,
                            Optional<ScheduledExecutorService> timers) {
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("http-boss"));
        EventLoopGroup worker = new NioEventLoopGroup(1, new DefaultThreadFactory("http-worker"));
        HttpServerInitializer pipeline = new HttpServerInitializer(routing, options, timers.orElse(worker));
        ChannelFuture bind = new ServerBootstrap()
                .group(boss, worker)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 1024, MAX_READ).maxMessagesPerRead(1))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.writeBufferHighWaterMark() / 2, options.writeBufferHighWaterMark()))
                .childHandler(pipeline)
                .bind(host, port)
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for HTTP on " + host + ":" + port, bind.cause());
        }
        HttpServer server = new HttpServer(boss, worker, bind.channel(), pipeline);
        LOG.info("HTTP listening on {}:{}", host, server.port());
        return server;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** HTTP connections open now. */
    public int connections() {
        return pipeline.limits().open();
    }

    /** Stops accepting, lets responses in flight finish (up to a few seconds), then frees the threads. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        worker.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
