package io.crmroute.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/** The HTTP/1.1 pipeline: codec, keep-alive, whole requests of at most 1 MiB, the routing. */
final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_CONTENT_LENGTH = 1024 * 1024;

    private final HttpRouting routing;

    HttpServerInitializer(HttpRouting routing) {
        this.routing = routing;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                .addLast("codec", new HttpServerCodec())
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_LENGTH))
                .addLast("routing", new HttpRoutingHandler(routing));
    }
}
