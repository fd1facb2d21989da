package io.crmroute.agi;

import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection: keeps its deadlines, starts the {@link AgiCallHandler} once the environment is
 * whole, routes replies and hangups to the session, and closes the connection when the call is done,
 * when a deadline passes, or on a protocol error.
 */
final class AgiSessionHandler extends SimpleChannelInboundHandler<AgiMessage> {

    private static final Logger log = LoggerFactory.getLogger(AgiSessionHandler.class);

    /** Any peer that can connect can trigger these at will: one line per interval each, with a count. */
    private static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);
    private static final RepeatedWarning PROTOCOL_ERRORS = RepeatedWarning.every(WARNING_INTERVAL, log);
    private static final RepeatedWarning DEADLINES = RepeatedWarning.every(WARNING_INTERVAL, log);
    private static final RepeatedWarning FAILURES = RepeatedWarning.every(WARNING_INTERVAL, log);

    private final AgiCallHandler callHandler;
    private final AgiServerOptions options;
    private final AgiServerStats stats;
    private final ChannelGroup sessions;
    private boolean counted;
    private boolean failed;
    private ChannelAgiSession session;
    private ScheduledFuture<?> environmentDeadline;
    private ScheduledFuture<?> sessionDeadline;

    AgiSessionHandler(AgiCallHandler callHandler, AgiServerOptions options, AgiServerStats stats, ChannelGroup sessions) {
        this.callHandler = callHandler;
        this.options = options;
        this.stats = stats;
        this.sessions = sessions;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counted = true;
        stats.sessionOpened();
        sessions.add(ctx.channel());
        environmentDeadline = closeAfter(ctx, options.environmentTimeout(), "no complete environment within");
        sessionDeadline = closeAfter(ctx, options.sessionTimeout(), "session longer than");
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AgiMessage message) {
        if (message instanceof AgiEnvironment environment) {
            environmentDeadline.cancel(false);
            startCall(ctx, environment);
        } else if (session == null) {
            throw new AgiProtocolException("a reply before the environment"); // the decoder prevents it
        } else if (message instanceof AgiReply reply) {
            session.onReply(reply);
        } else if (message instanceof AgiHangup) {
            session.onHangup();
        }
    }

    private void startCall(ChannelHandlerContext ctx, AgiEnvironment environment) {
        session = new ChannelAgiSession(ctx.channel(), environment, options.replyTimeout(), DEADLINES);
        CompletableFuture<?> call;
        try {
            call = callHandler.handle(session);
        } catch (RuntimeException e) {
            FAILURES.warn("AGI call handler failed for {} ({}): {}", ctx.channel().remoteAddress(), LogText.safe(environment.uniqueId()),
                    LogText.safe(e));
            log.debug("AGI call handler failure", e);
            ctx.close();
            return;
        }
        if (call == null) {
            ctx.close();
            return;
        }
        call.whenComplete((done, failure) -> {
            if (failure != null) log.debug("AGI call {} ended with {}", LogText.safe(environment.uniqueId()), LogText.safe(failure));
            // An empty write queues behind every command written before it: close once they are out.
            ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (environmentDeadline != null) environmentDeadline.cancel(false);
        if (sessionDeadline != null) sessionDeadline.cancel(false);
        if (session != null) session.onClosed("connection closed");
        if (counted) {
            counted = false;
            stats.sessionClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The decoder may go on failing on the bytes already read; the first failure is the one to tell.
        if (failed) return;
        failed = true;
        if (cause instanceof AgiProtocolException) {
            stats.protocolError();
            PROTOCOL_ERRORS.warn("AGI protocol error from {}: {}", ctx.channel().remoteAddress(), LogText.safe(cause.getMessage()));
        } else if (cause instanceof IOException) {
            // A peer resetting its connection is routine (port checks, Asterisk giving up): not worth a warning.
            log.debug("AGI connection from {} failed: {}", ctx.channel().remoteAddress(), LogText.safe(cause));
        } else {
            FAILURES.warn("AGI connection from {} failed: {}", ctx.channel().remoteAddress(), LogText.safe(cause));
        }
        if (session != null) session.onClosed(cause instanceof AgiProtocolException ? "protocol error" : "connection failed");
        ctx.close();
    }

    private ScheduledFuture<?> closeAfter(ChannelHandlerContext ctx, Duration timeout, String reason) {
        return ctx.executor().schedule(() -> {
            DEADLINES.warn("AGI connection from {} closed: {} {}", ctx.channel().remoteAddress(), reason, timeout);
            if (session != null) session.onClosed("closed: " + reason + " " + timeout);
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
