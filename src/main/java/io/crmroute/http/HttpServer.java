package io.crmroute.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP port: binds, serves one {@link HttpRouting}, shuts down gracefully. Handlers run on the
 * single worker event loop, so they must not block.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup worker;
    private final Channel channel;

    private HttpServer(EventLoopGroup boss, EventLoopGroup worker, Channel channel) {
        this.boss = boss;
        this.worker = worker;
        this.channel = channel;
    }

    /**
     * Binds {@code host:port} (port 0: any free port) and blocks until it listens.
     *
     * @throws IllegalStateException when it cannot bind (port taken, unknown host)
     */
    public static HttpServer start(String host, int port, HttpRouting routing) {
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup worker = new NioEventLoopGroup(1);
        ChannelFuture bind = new ServerBootstrap()
                .group(boss, worker)
                .channel(NioServerSocketChannel.class)
                .childHandler(new HttpServerInitializer(routing))
                .bind(host, port)
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for HTTP on " + host + ":" + port, bind.cause());
        }
        HttpServer server = new HttpServer(boss, worker, bind.channel());
        LOG.info("HTTP listening on {}:{}", host, server.port());
        return server;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting, lets responses in flight finish (up to a few seconds), then frees the threads. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        worker.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
