package io.crmroute.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each whole Netty request into an {@link HttpRequest}, asks the routing, writes the answer.
 * Pipelined requests are answered in the order they came, whatever order their futures complete in.
 */
final class HttpRoutingHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRoutingHandler.class);

    private final HttpRouting routing;
    /** Responses not yet written, oldest first; touched on the event loop only. */
    private final Queue<Pending> pending = new ArrayDeque<>();

    private record Pending(HttpVersion version, CompletableFuture<HttpResponse> response, boolean closeAfter) {}

    HttpRoutingHandler(HttpRouting routing) {
        this.routing = routing;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            // a stranger's bad bytes are not our bug: one line, no stack trace
            LOG.warn("malformed HTTP request from {}: {}", ctx.channel().remoteAddress(), request.decoderResult().cause().toString());
            // the decoder discards everything after a bad message: answer in turn, then hang up
            enqueue(ctx, new Pending(HttpVersion.HTTP_1_1, HttpResponse.error(400, "bad request").completed(), true));
            return;
        }
        CompletableFuture<HttpResponse> response;
        try {
            response = routing.route(convert(request));
        } catch (IllegalArgumentException malformed) {
            LOG.warn("malformed HTTP request target from {}: {}", ctx.channel().remoteAddress(), malformed.toString());
            response = HttpResponse.error(400, "bad request").completed();
        } catch (RuntimeException failure) {
            LOG.warn("{} {} failed", request.method(), request.uri(), failure);
            response = HttpResponse.error(500, "internal error").completed();
        }
        enqueue(ctx, new Pending(request.protocolVersion(), response, false));
    }

    private void enqueue(ChannelHandlerContext ctx, Pending next) {
        pending.add(next);
        next.response().whenComplete((value, failure) -> {
            if (ctx.executor().inEventLoop()) writeReady(ctx);
            else ctx.executor().execute(() -> writeReady(ctx));
        });
    }

    /** Writes every finished response at the head of the queue. */
    private void writeReady(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peek().response().isDone()) {
            Pending next = pending.poll();
            if (next.closeAfter()) {
                pending.clear();
                ctx.writeAndFlush(toNetty(next.version(), outcome(next.response()))).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.write(toNetty(next.version(), outcome(next.response())));
            wrote = true;
        }
        if (wrote) ctx.flush();
    }

    /** Routing promises a response and never a failure; this keeps a broken promise from hanging the connection. */
    private static HttpResponse outcome(CompletableFuture<HttpResponse> done) {
        try {
            HttpResponse response = done.join();
            if (response != null) return response;
            LOG.warn("routing completed with no response");
        } catch (RuntimeException failure) {
            LOG.warn("routing failed", failure);
        }
        return HttpResponse.error(500, "internal error");
    }

    private static FullHttpResponse toNetty(HttpVersion version, HttpResponse response) {
        try {
            return build(version, response);
        } catch (RuntimeException invalid) {
            LOG.warn("cannot write response with status {}", response.status(), invalid);
            return build(version, HttpResponse.error(500, "internal error"));
        }
    }

    private static FullHttpResponse build(HttpVersion version, HttpResponse response) {
        FullHttpResponse netty = new DefaultFullHttpResponse(
                version, HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach((name, value) -> netty.headers().set(name, value));
        if (response.contentType() != null && !response.contentType().isEmpty()) {
            netty.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        netty.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        return netty;
    }

    /** @throws IllegalArgumentException on a target or query that is not valid encoding */
    static HttpRequest convert(FullHttpRequest request) {
        QueryStringDecoder target = new QueryStringDecoder(originForm(request.uri()));
        Map<String, List<String>> query = new HashMap<>();
        target.parameters().forEach((name, values) -> query.put(name, List.copyOf(values)));
        Map<String, String> headers = new HashMap<>();
        // a repeated header is one comma-separated list (RFC 9110 5.3)
        request.headers().forEach(header -> headers.merge(
                header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b));
        return new HttpRequest(
                request.method().name(), target.rawPath(), query, headers, Map.of(),
                ByteBufUtil.getBytes(request.content()));
    }

    /** {@code /path?query} from an origin-form or absolute-form request target. */
    private static String originForm(String uri) {
        if (uri.startsWith("/")) return uri;
        try {
            URI absolute = new URI(uri);
            if (!absolute.isAbsolute() || absolute.getRawPath() == null) throw new IllegalArgumentException("request target");
            String path = absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
            return absolute.getRawQuery() == null ? path : path + "?" + absolute.getRawQuery();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("request target", e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            LOG.debug("closing idle HTTP connection {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a peer that hangs up mid-request is the network's business, not a server fault
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) LOG.debug("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        else LOG.warn("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
