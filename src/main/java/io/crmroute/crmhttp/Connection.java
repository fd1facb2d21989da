package io.crmroute.crmhttp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.pool.ChannelPoolHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * How a pooled connection to one CRM host is set up: through the proxy's CONNECT tunnel when there is one
 * for https, TLS that verifies the host name, HTTP/1.1 with gzip and deflate decoded, replies gathered
 * whole up to {@link CrmTransport#MAX_REPLY_BYTES}, and closed when idle for {@link #IDLE} (an idle
 * connection only: an exchange in progress ends by its caller's deadline).
 */
final class Connection implements ChannelPoolHandler {

    static final Duration IDLE = Duration.ofSeconds(30);
    private static final int MAX_INITIAL_LINE = 8192;
    private static final int MAX_HEADERS = 64 * 1024;
    private static final int MAX_CHUNK = 8192;

    private final CrmTransport transport;
    private final Optional<SslContext> tls;
    private final String host;
    private final int port;
    private final Optional<ProxyAddress> tunnel;
    private final Duration backstop;

    Connection(CrmTransport transport, Optional<SslContext> tls, String host, int port, Optional<ProxyAddress> tunnel, Duration backstop) {
        this.transport = transport;
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.tunnel = tunnel;
        this.backstop = backstop;
    }

    @Override
    public void channelCreated(Channel channel) {
        transport.connections().add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        tunnel.ifPresent(proxy -> {
            pipeline.addLast(new ResolvingConnect(transport));
            InetSocketAddress address = InetSocketAddress.createUnresolved(proxy.host(), proxy.port());
            HttpProxyHandler handler = proxy.username().isPresent()
                    ? new HttpProxyHandler(address, proxy.username().get(), proxy.password().orElseThrow())
                    : new HttpProxyHandler(address);
            handler.setConnectTimeoutMillis(backstop.toMillis());
            pipeline.addLast(handler);
        });
        tls.ifPresent(context -> {
            SslHandler ssl = context.newHandler(channel.alloc(), host, port);
            SSLEngine engine = ssl.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            ssl.setHandshakeTimeoutMillis(backstop.toMillis());
            pipeline.addLast(ssl);
        });
        pipeline.addLast(new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_CHUNK),
                new HttpContentDecompressor(),
                new HttpObjectAggregator(CrmTransport.MAX_REPLY_BYTES),
                new IdleStateHandler(0, 0, IDLE.toSeconds(), TimeUnit.SECONDS),
                ExchangeHandler.INSTANCE);
    }

    @Override
    public void channelAcquired(Channel channel) {
    }

    @Override
    public void channelReleased(Channel channel) {
    }

    /**
     * Resolves the proxy's name with Netty's resolver before connecting to it: the proxy handler connects to
     * the address it was given, and a blocking JDK lookup must not run on an event loop.
     */
    private static final class ResolvingConnect extends ChannelOutboundHandlerAdapter {
        private final CrmTransport transport;

        ResolvingConnect(CrmTransport transport) {
            this.transport = transport;
        }

        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            if (!(remote instanceof InetSocketAddress address) || !address.isUnresolved()) {
                ctx.connect(remote, local, promise);
                return;
            }
            transport.dns().getResolver(ctx.executor()).resolve(address).addListener(resolved -> {
                if (resolved.isSuccess()) {
                    ctx.connect((SocketAddress) resolved.getNow(), local, promise);
                } else {
                    promise.tryFailure(resolved.cause());
                }
            });
        }
    }
}
