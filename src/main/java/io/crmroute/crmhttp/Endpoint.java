package io.crmroute.crmhttp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLException;

/**
 * One way of reaching CRM hosts ({@link EndpointSettings}): its TLS context, built once, and a
 * {@link FixedChannelPool} per event loop and host, each holding at most its share of
 * {@code maxConnections}; a request waits in the pool for a connection when all are busy.
 */
public final class Endpoint {

    private final CrmTransport transport;
    private final EndpointSettings settings;
    private final SslContext ssl;
    private final SSLException sslProblem;
    private final ConcurrentMap<PoolKey, FixedChannelPool> pools = new ConcurrentHashMap<>();

    /** A pool's place: the loop its connections live on and the host they reach. */
    private record PoolKey(EventLoop loop, boolean https, String host, int port) {}

    Endpoint(CrmTransport transport, EndpointSettings settings) {
        this.transport = transport;
        this.settings = settings;
        SslContext context = null;
        SSLException problem = null;
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (settings.caFile().isPresent()) builder.trustManager(settings.caFile().get().toFile());
            context = builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            problem = new SSLException("ca-file " + settings.caFile().map(Object::toString).orElse("") + " unusable: " + e.getMessage());
        }
        this.ssl = context;
        this.sslProblem = problem;
    }

    public EndpointSettings settings() {
        return settings;
    }

    /**
     * Sends {@code request} on the caller's loop (see {@link CrmTransport}) and completes with its reply,
     * on that loop. Cancelling the returned future before it completes closes the exchange's connection.
     * No deadline here but the connect and handshake backstop: the caller sets its own.
     */
    public CompletableFuture<HttpResponse<String>> send(OutboundRequest request) {
        CompletableFuture<HttpResponse<String>> result = new CompletableFuture<>();
        if (request.https() && sslProblem != null) {
            result.completeExceptionally(sslProblem);
            return result;
        }
        EventLoop loop = transport.callersLoop();
        FixedChannelPool pool = pool(loop, request);
        new Exchange(loop, pool, request, settings.proxy(), result).start();
        return result;
    }

    private FixedChannelPool pool(EventLoop loop, OutboundRequest request) {
        PoolKey key = new PoolKey(loop, request.https(), request.uri().getHost().toLowerCase(Locale.ROOT), request.port());
        FixedChannelPool pool = pools.get(key);
        return pool != null ? pool : pools.computeIfAbsent(key, this::newPool);
    }

    private FixedChannelPool newPool(PoolKey key) {
        Optional<ProxyAddress> proxy = settings.proxy();
        boolean tunnel = proxy.isPresent() && key.https();
        Bootstrap bootstrap = new Bootstrap()
                .group(key.loop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.backstop().toMillis()));
        if (tunnel) {
            // The CRM's name goes to the proxy unresolved, in CONNECT host:port; the proxy's own name is resolved
            // by the connection's first handler (Connection.ResolvingConnect).
            bootstrap.resolver(NoopAddressResolverGroup.INSTANCE).remoteAddress(InetSocketAddress.createUnresolved(key.host(), key.port()));
        } else {
            String host = proxy.map(ProxyAddress::host).orElse(key.host());
            int port = proxy.map(ProxyAddress::port).orElse(key.port());
            bootstrap.resolver(transport.dns()).remoteAddress(InetSocketAddress.createUnresolved(host, port));
        }
        int perLoop = Math.max(1, (settings.maxConnections() + transport.loopCount() - 1) / transport.loopCount());
        Connection setup = new Connection(transport, key.https() ? Optional.of(ssl) : Optional.empty(), key.host(), key.port(),
                tunnel ? proxy : Optional.empty(), settings.backstop());
        return new FixedChannelPool(bootstrap, setup, ChannelHealthChecker.ACTIVE, null, -1, perLoop, Integer.MAX_VALUE, true, true);
    }

    void close() {
        for (FixedChannelPool pool : pools.values()) {
            try {
                pool.closeAsync();
            } catch (RuntimeException loopsAlreadyStopped) {
                // their connections are closed with the transport's channel group
            }
        }
        pools.clear();
    }
}
