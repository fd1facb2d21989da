package io.crmroute.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The HTTP/1.1 pipeline: idle timeout, codec, keep-alive, whole requests of at most 1 MiB, the routing. */
final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_CONTENT_LENGTH = 1024 * 1024;
    static final int IDLE_SECONDS = 60;

    private final HttpRouting routing;

    HttpServerInitializer(HttpRouting routing) {
        this.routing = routing;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                // a connection with no traffic either way for a minute is closed (see HttpRoutingHandler)
                .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                .addLast("codec", new HttpServerCodec())
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_LENGTH))
                .addLast("routing", new HttpRoutingHandler(routing));
    }
}
