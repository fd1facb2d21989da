package io.crmroute.crmhttp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.ChannelPool;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;

/**
 * One request and its reply on a pooled connection. Everything but {@link #start} runs on the pool's
 * loop. The connection is given back to the pool exactly once: kept when the reply allows keep-alive,
 * closed when it does not, when the exchange failed, or when the caller cancelled before the reply.
 * A request that found its reused keep-alive connection closed by the CRM before any reply is sent once
 * more on another connection, when sending it twice cannot do anything twice (an idempotent method).
 */
final class Exchange {

    /** The exchange a connection is carrying, if any. */
    static final AttributeKey<Exchange> CURRENT = AttributeKey.valueOf("crm-exchange");
    /** How many exchanges a connection has carried: a closed reused one is worth one more try. */
    private static final AttributeKey<Integer> USES = AttributeKey.valueOf("crm-exchange-uses");
    private static final String USER_AGENT = "crmroute";

    private final EventLoop loop;
    private final ChannelPool pool;
    private final OutboundRequest request;
    private final Optional<ProxyAddress> proxy;
    private final boolean absoluteForm;
    private final CompletableFuture<HttpResponse<String>> result;
    private Channel channel;
    private boolean givenBack;
    private boolean retried;

    /** {@code pool} lives on {@code loop}; a plain-http request through {@code proxy} goes in absolute form. */
    Exchange(EventLoop loop, ChannelPool pool, OutboundRequest request, Optional<ProxyAddress> proxy,
             CompletableFuture<HttpResponse<String>> result) {
        this.loop = loop;
        this.pool = pool;
        this.request = request;
        this.proxy = proxy;
        this.absoluteForm = proxy.isPresent() && !request.https();
        this.result = result;
    }

    void start() {
        result.whenComplete((response, error) -> {
            // Cancelled before a connection was acquired: acquired() sees it and gives the connection back unused.
            if (result.isCancelled()) onLoop(this::abandon);
        });
        acquire();
    }

    private void acquire() {
        Future<Channel> acquiring = pool.acquire();
        acquiring.addListener(done -> acquired(acquiring));
    }

    private void acquired(Future<Channel> acquiring) {
        if (!acquiring.isSuccess()) {
            result.completeExceptionally(mapped(acquiring.cause()));
            return;
        }
        Channel connection = acquiring.getNow();
        if (result.isDone()) { // the caller left while the connection was being made
            pool.release(connection);
            return;
        }
        channel = connection;
        givenBack = false;
        Integer uses = connection.attr(USES).get();
        connection.attr(USES).set(uses == null ? 1 : uses + 1);
        connection.attr(CURRENT).set(this);
        connection.writeAndFlush(encoded(connection)).addListener(written -> {
            if (!written.isSuccess() && connection.attr(CURRENT).compareAndSet(this, null)) failed(written.cause());
        });
    }

    /** The reply: the connection goes back to the pool (closed first unless it is kept alive), then the caller has it. */
    void answered(FullHttpResponse reply, boolean keepAlive) {
        ReceivedResponse response = ReceivedResponse.of(reply, request);
        if (!keepAlive) channel.close();
        giveBack();
        result.complete(response);
    }

    /** The connection failed or closed before the reply. */
    void failed(Throwable cause) {
        boolean reused = channel != null && channel.attr(USES).get() != null && channel.attr(USES).get() > 1;
        if (channel != null) channel.close();
        giveBack();
        if (reused && !retried && request.idempotent() && !result.isDone() && cause instanceof IOException
                && !(cause instanceof SSLException)) {
            retried = true;
            acquire();
            return;
        }
        result.completeExceptionally(mapped(cause));
    }

    /** The caller cancelled: a connection still carrying this request is closed, never one carrying another's. */
    private void abandon() {
        if (channel != null && channel.attr(CURRENT).compareAndSet(this, null)) {
            channel.close();
            giveBack();
        }
    }

    private void giveBack() {
        if (channel != null && !givenBack) {
            givenBack = true;
            pool.release(channel);
        }
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopped) {
            // the loops are stopping; the transport closes every connection
        }
    }

    private FullHttpRequest encoded(Channel connection) {
        URI uri = request.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = (uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        String authority = hostForHeader(uri.getHost()) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        if (absoluteForm) target = uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + authority + target;
        ByteBuf content = request.body().map(body -> ByteBufUtil.writeUtf8(connection.alloc(), body)).orElse(Unpooled.EMPTY_BUFFER);
        FullHttpRequest encoded = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()), target, content);
        HttpHeaders headers = encoded.headers();
        headers.set(HttpHeaderNames.HOST, authority);
        headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        headers.set(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate");
        proxy.filter(p -> absoluteForm && p.username().isPresent()).ifPresent(p -> headers.set(HttpHeaderNames.PROXY_AUTHORIZATION,
                "Basic " + Base64.getEncoder().encodeToString((p.username().get() + ":" + p.password().orElseThrow())
                        .getBytes(StandardCharsets.UTF_8))));
        for (Map.Entry<String, String> header : request.headers()) headers.add(header.getKey(), header.getValue());
        if (request.body().isPresent() || !"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        }
        return encoded;
    }

    private static String hostForHeader(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * Netty's failures as the exceptions the caller maps (those of java.net.http where there is one): TLS as
     * {@link SSLException}, an oversized body as {@link ReplyTooLargeException}, the connect backstop as
     * {@link HttpConnectTimeoutException}, a proxy's refusal as an {@link IOException} that is no "connection refused".
     */
    private Throwable mapped(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof TooLongFrameException) return new ReplyTooLargeException(CrmTransport.MAX_REPLY_BYTES);
        if (t instanceof ConnectTimeoutException) return new HttpConnectTimeoutException("no connection to " + request.uri().getHost());
        if (t instanceof ProxyConnectException) return new IOException("the proxy refused the tunnel: " + t.getMessage());
        if (t instanceof ConnectException && proxy.isPresent()) {
            return new IOException("connection refused by the proxy " + proxy.get().host() + ":" + proxy.get().port());
        }
        return t;
    }
}
