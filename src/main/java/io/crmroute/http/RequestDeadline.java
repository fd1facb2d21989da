package io.crmroute.http;

import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request head is not whole within {@code headTimeout} of its first byte,
 * or whose body is not whole within {@code bodyTimeout} of its head. Unlike an idle timer, the
 * deadline is not moved by each byte, so a peer sending one byte every few seconds is still cut off.
 * One instance per connection: {@link #bytes()} goes before the HTTP codec (it sees a request start),
 * {@link #messages()} after it (it sees the head and the end). Used on the connection's event loop only.
 */
final class RequestDeadline {

    private enum State { BETWEEN_REQUESTS, HEAD, BODY }

    private final ScheduledExecutorService timers;
    private final Duration headTimeout;
    private final Duration bodyTimeout;
    private final RepeatedWarning expired;
    private State state = State.BETWEEN_REQUESTS;
    private ScheduledFuture<?> timer;
    /** Which arming a timer belongs to: a timer that fires after being replaced does nothing. */
    private long armed;

    RequestDeadline(ScheduledExecutorService timers, Duration headTimeout, Duration bodyTimeout, RepeatedWarning expired) {
        this.timers = timers;
        this.headTimeout = headTimeout;
        this.bodyTimeout = bodyTimeout;
        this.expired = expired;
    }

    ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (state == State.BETWEEN_REQUESTS && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    state = State.HEAD;
                    arm(ctx, headTimeout, "head");
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                disarm();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelHandler messages() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest head) {
                    disarm();
                    state = State.BODY;
                    if (HttpUtil.isContentLengthSet(head) || HttpUtil.isTransferEncodingChunked(head)) arm(ctx, bodyTimeout, "body");
                }
                if (msg instanceof LastHttpContent) {
                    disarm();
                    state = State.BETWEEN_REQUESTS;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void arm(ChannelHandlerContext ctx, Duration timeout, String part) {
        disarm();
        long mine = ++armed;
        try {
            timer = timers.schedule(() -> ctx.executor().execute(() -> expire(ctx, mine, timeout, part)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            ctx.channel().close();
        }
    }

    private void disarm() {
        armed++;
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    private void expire(ChannelHandlerContext ctx, long which, Duration timeout, String part) {
        if (which != armed || !ctx.channel().isActive()) return;
        expired.warn("closing HTTP connection from {}: request {} not received within {}",
                LogText.safe(ctx.channel().remoteAddress()), part, timeout);
        ctx.channel().close();
    }
}
