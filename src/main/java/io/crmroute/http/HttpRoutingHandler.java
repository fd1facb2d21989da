package io.crmroute.http;

import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each whole Netty request into an {@link HttpRequest}, asks the routing, writes the answer.
 * Requests on one connection are answered one at a time, in the order they came; the next one is
 * taken once the previous response is written, and the connection is read again only when every
 * request read so far is answered. So a peer that sends and never reads holds one response in memory,
 * not one per request it sent. At most {@value #MAX_PIPELINED} requests wait their turn: past that
 * the connection is answered 503 after them and closed. A response the peer does not take within
 * {@code writeTimeout} closes the connection.
 */
final class HttpRoutingHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRoutingHandler.class);
    /** Requests read ahead of their answers; no client that waits for its answers sends more. */
    static final int MAX_PIPELINED = 64;

    /** The warnings a stranger can cause, each rate-limited across all connections. */
    record Warnings(RepeatedWarning malformed, RepeatedWarning failed, RepeatedWarning stalled) {

        static Warnings every(Duration interval) {
            return new Warnings(RepeatedWarning.every(interval, LOG), RepeatedWarning.every(interval, LOG),
                    RepeatedWarning.every(interval, LOG));
        }
    }

    /** A request read and not yet answered: routed when its turn comes, or answered as it is. */
    private record Incoming(HttpVersion version, HttpRequest request, HttpResponse answer, boolean closeAfter) {}

    private final HttpRouting routing;
    private final WriteBudget budget;
    private final ScheduledExecutorService timers;
    private final Duration writeTimeout;
    private final Warnings warnings;
    /** Requests read and not yet answered, oldest first; touched on the event loop only. */
    private final Queue<Incoming> inbox = new ArrayDeque<>();
    /** A request is being answered: routed, or its response being written. */
    private boolean answering;
    /** Past the pipelining limit: what else was read is dropped, the connection closes after the 503. */
    private boolean refusing;
    private ScheduledFuture<?> writeStall;

    HttpRoutingHandler(HttpRouting routing, WriteBudget budget, ScheduledExecutorService timers, Duration writeTimeout,
                       Warnings warnings) {
        this.routing = routing;
        this.budget = budget;
        this.timers = timers;
        this.writeTimeout = writeTimeout;
        this.warnings = warnings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.read();
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        // the codec's last word on a connection already closed (a request cut short) needs no answer
        if (!ctx.channel().isActive() || refusing) return;
        if (inbox.size() >= MAX_PIPELINED) {
            refusing = true;
            warnings.malformed().warn("closing HTTP connection from {}: more than {} pipelined requests", peer(ctx), MAX_PIPELINED);
            inbox.add(new Incoming(request.protocolVersion(), null, HttpResponse.error(503, "too many pipelined requests"), true));
            answerNext(ctx);
            return;
        }
        if (request.decoderResult().isSuccess() && !isHttp1(request.protocolVersion())) {
            // Netty accepts any HTTP/x.y; answering in a version that does not exist would confuse the peer
            warnings.malformed().warn("HTTP request from {} in {}: not HTTP/1.x", peer(ctx), LogText.safe(request.protocolVersion()));
            inbox.add(new Incoming(HttpVersion.HTTP_1_1, null, HttpResponse.error(505, "HTTP/1.0 or HTTP/1.1 only"), true));
        } else if (request.decoderResult().isFailure()) {
            // a stranger's bad bytes are not our bug: one line, no stack trace
            warnings.malformed().warn("malformed HTTP request from {}: {}", peer(ctx), LogText.safe(request.decoderResult().cause()));
            // the decoder discards everything after a bad message: answer in turn, then hang up
            inbox.add(new Incoming(HttpVersion.HTTP_1_1, null, HttpResponse.error(400, "bad request"), true));
        } else {
            try {
                inbox.add(new Incoming(request.protocolVersion(), HttpMessages.convert(request, source(ctx)), null, false));
            } catch (IllegalArgumentException malformed) {
                warnings.malformed().warn("malformed HTTP request target from {}: {}", peer(ctx), LogText.safe(malformed));
                inbox.add(new Incoming(request.protocolVersion(), null, HttpResponse.error(400, "bad request"), false));
            }
        }
        answerNext(ctx);
    }

    private static boolean isHttp1(HttpVersion version) {
        return version.majorVersion() == 1 && (version.minorVersion() == 0 || version.minorVersion() == 1);
    }

    /** Answers the oldest request read, or reads more when all are answered. */
    private void answerNext(ChannelHandlerContext ctx) {
        if (answering || !ctx.channel().isActive()) return;
        Incoming next = inbox.poll();
        if (next == null) {
            ctx.read();
            return;
        }
        answering = true;
        CompletableFuture<HttpResponse> response = next.answer() != null ? next.answer().completed() : route(next.request());
        response.whenComplete((value, failure) -> {
            if (ctx.executor().inEventLoop()) write(ctx, next, response);
            else ctx.executor().execute(() -> write(ctx, next, response));
        });
    }

    private CompletableFuture<HttpResponse> route(HttpRequest request) {
        try {
            return routing.route(request);
        } catch (RuntimeException failure) {
            LOG.warn("{} {} failed", LogText.safe(request.method()), LogText.safe(request.path()), failure);
            return HttpResponse.error(500, "internal error").completed();
        }
    }

    private void write(ChannelHandlerContext ctx, Incoming request, CompletableFuture<HttpResponse> done) {
        if (!ctx.channel().isActive()) return;
        FullHttpResponse response = HttpMessages.toNetty(request.version(), outcome(done));
        if (request.closeAfter()) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        int size = response.content().readableBytes();
        if (!budget.tryTake(size)) {
            response.release();
            warnings.stalled().warn("closing HTTP connection from {}: {} bytes of responses already wait for slow peers",
                    peer(ctx), budget.queued());
            ctx.close();
            return;
        }
        ChannelPromise written = ctx.newPromise();
        written.addListener(result -> {
            budget.give(size);
            if (writeStall != null) writeStall.cancel(false);
            writeStall = null;
            answering = false;
            if (!result.isSuccess() || request.closeAfter()) {
                inbox.clear();
                ctx.close();
                return;
            }
            answerNext(ctx);
        });
        ctx.writeAndFlush(response, written);
        if (!written.isDone()) {
            try {
                writeStall = timers.schedule(() -> ctx.executor().execute(() -> stalled(ctx, written)),
                        writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                ctx.close();
            }
        }
    }

    private void stalled(ChannelHandlerContext ctx, ChannelPromise written) {
        if (written.isDone() || !ctx.channel().isActive()) return;
        warnings.stalled().warn("closing HTTP connection from {}: response not taken within {}", peer(ctx), writeTimeout);
        ctx.close();
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

    private static String source(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : HttpRequest.UNKNOWN_SOURCE;
    }

    private static String peer(ChannelHandlerContext ctx) {
        return LogText.safe(ctx.channel().remoteAddress());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            LOG.debug("closing idle HTTP connection {}", peer(ctx));
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        inbox.clear();
        if (writeStall != null) writeStall.cancel(false);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a peer that hangs up mid-request is the network's business, not a server fault
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) LOG.debug("HTTP connection {} failed", peer(ctx), cause);
        else warnings.failed().warn("HTTP connection {} failed: {}", peer(ctx), LogText.safe(cause));
        ctx.close();
    }
}
