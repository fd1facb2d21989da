package io.crmroute.http;

import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 pipeline: connection limits, request deadlines, idle timeout, codec, keep-alive, whole
 * requests of at most 1 MiB, the routing.
 */
final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerInitializer.class);

    static final int MAX_CONTENT_LENGTH = 1024 * 1024;

    private final HttpRouting routing;
    private final HttpServerOptions options;
    private final ScheduledExecutorService timers;
    private final ConnectionLimits limits;
    private final WriteBudget budget;
    private final RepeatedWarning refused = RepeatedWarning.every(Duration.ofSeconds(10), LOG);
    private final RepeatedWarning deadlines = RepeatedWarning.every(Duration.ofSeconds(10), LOG);
    private final HttpRoutingHandler.Warnings warnings = HttpRoutingHandler.Warnings.every(Duration.ofSeconds(10));

    HttpServerInitializer(HttpRouting routing, HttpServerOptions options, ScheduledExecutorService timers) {
        this.routing = routing;
        this.options = options;
        this.timers = timers;
        this.limits = new ConnectionLimits(options.maxConnections(), options.maxConnectionsPerSource());
        this.budget = new WriteBudget(options.totalWriteBuffer());
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        InetAddress source = channel.remoteAddress().getAddress();
        if (!limits.admit(source)) {
            refused.warn("HTTP connection from {} refused: connection limit reached ({} in all, {} per source)",
                    LogText.safe(source.getHostAddress()), options.maxConnections(), options.maxConnectionsPerSource());
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> limits.release(source));
        RequestDeadline deadline = new RequestDeadline(timers, options.requestHeadTimeout(), options.requestBodyTimeout(), deadlines);
        channel.pipeline()
                .addLast("request-start", deadline.bytes())
                // a connection with no traffic either way for a while is closed (see HttpRoutingHandler)
                .addLast("idle", new IdleStateHandler(0, 0, options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("codec", new HttpServerCodec())
                .addLast("request-end", deadline.messages())
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_LENGTH))
                .addLast("routing", new HttpRoutingHandler(routing, budget, timers, options.writeTimeout(), warnings));
    }

    ConnectionLimits limits() {
        return limits;
    }
}
