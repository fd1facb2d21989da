package io.crmroute.agi;

import io.crmroute.logging.RepeatedWarning;
import io.netty.channel.Channel;
import io.netty.handler.codec.EncoderException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AgiSession} of one channel. Its state is touched on the channel's event loop only:
 * {@link #send} hops there, and the handler calls {@link #onReply}, {@link #onHangup} and
 * {@link #onClosed} from there. The one place where statuses become outcomes is {@link #onReply}. Each
 * command's reply has a deadline ({@link ReplyDeadline}); past it the connection is closed.
 */
final class ChannelAgiSession implements AgiSession {

    private static final Logger log = LoggerFactory.getLogger(ChannelAgiSession.class);

    private final Channel channel;
    private final AgiEnvironment environment;
    private final InetSocketAddress remoteAddress;
    private final Duration replyTimeout;
    private final RepeatedWarning lateReplies;
    private final CompletableFuture<Void> hangup = new CompletableFuture<>();
    private String closedReason;
    private InFlight inFlight;
    private ScheduledFuture<?> replyDeadline;

    /** The command itself, not its verb: the verb is only for failures, so it is built only then. */
    private record InFlight(AgiCommand command, CompletableFuture<AgiReply> reply) {
        String verb() {
            return ChannelAgiSession.verb(command);
        }
    }

    /**
     * @param replyTimeout see {@link ReplyDeadline}
     * @param lateReplies  where a reply deadline passing is told, shared by every connection
     */
    ChannelAgiSession(Channel channel, AgiEnvironment environment, Duration replyTimeout, RepeatedWarning lateReplies) {
        this.channel = channel;
        this.environment = environment;
        this.remoteAddress = (InetSocketAddress) channel.remoteAddress();
        this.replyTimeout = replyTimeout;
        this.lateReplies = lateReplies;
    }

    @Override
    public AgiEnvironment environment() {
        return environment;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public CompletableFuture<Void> hangup() {
        return hangup.copy();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return channel.eventLoop();
    }

    @Override
    public CompletableFuture<AgiReply> send(AgiCommand command) {
        CompletableFuture<AgiReply> reply = new CompletableFuture<>();
        if (command == null) {
            reply.completeExceptionally(new NullPointerException("command"));
        } else if (channel.eventLoop().inEventLoop()) {
            sendOnLoop(command, reply);
        } else {
            try {
                channel.eventLoop().execute(() -> sendOnLoop(command, reply));
            } catch (RejectedExecutionException e) {
                reply.completeExceptionally(new AgiSessionClosedException("server is shutting down"));
            }
        }
        return reply;
    }

    private void sendOnLoop(AgiCommand command, CompletableFuture<AgiReply> reply) {
        if (closedReason != null || !channel.isActive()) {
            reply.completeExceptionally(new AgiSessionClosedException(closedReason != null ? closedReason : "connection closed"));
            return;
        }
        if (inFlight != null) {
            reply.completeExceptionally(new IllegalStateException("one command at a time: " + inFlight.verb() + " is still waiting"));
            return;
        }
        InFlight sent = new InFlight(command, reply);
        inFlight = sent;
        ReplyDeadline.of(command, replyTimeout).ifPresent(limit -> replyDeadline = channel.eventLoop()
                .schedule(() -> replyOverdue(sent, limit), limit.toNanos(), TimeUnit.NANOSECONDS));
        channel.writeAndFlush(command).addListener(write -> {
            if (write.isSuccess()) return;
            if (inFlight == sent) answered();
            Throwable cause = write.cause();
            reply.completeExceptionally(cause instanceof EncoderException && cause.getCause() != null ? cause.getCause() : cause);
        });
    }

    /** A 200 completes the command in flight; 510, 511 and 520 fail it with the reply. */
    void onReply(AgiReply reply) {
        InFlight waiting = inFlight;
        if (waiting == null) {
            log.debug("AGI reply {} from {} with no command in flight, ignored", reply.status(), remoteAddress);
            return;
        }
        answered();
        if (reply.status() == AgiStatus.SUCCESS) {
            waiting.reply().complete(reply);
        } else {
            waiting.reply().completeExceptionally(new AgiCommandException(waiting.verb(), reply));
        }
    }

    /**
     * The caller hung up. A reply may still be on its way: Asterisk answers the command in flight at once on a
     * dead channel (GET DATA with -1, others with 511), so that command keeps waiting, but no longer than a plain
     * reply would. Those waiting for the hangup are told now.
     */
    void onHangup() {
        InFlight waiting = inFlight;
        if (waiting != null && replyDeadline != null && replyDeadline.getDelay(TimeUnit.NANOSECONDS) > replyTimeout.toNanos()) {
            replyDeadline.cancel(false);
            replyDeadline = channel.eventLoop().schedule(() -> replyOverdue(waiting, replyTimeout), replyTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        hangup.complete(null);
    }

    void onClosed(String reason) {
        if (closedReason == null) closedReason = reason;
        InFlight failed = inFlight;
        answered();
        if (failed != null) failed.reply().completeExceptionally(new AgiSessionClosedException(failed.verb() + ": " + reason));
    }

    /** No command in flight any more: its deadline goes with it. */
    private void answered() {
        inFlight = null;
        if (replyDeadline != null) {
            replyDeadline.cancel(false);
            replyDeadline = null;
        }
    }

    /** Counted from the write, never reset by bytes trickling in: a peer that never finishes its reply loses the call. */
    private void replyOverdue(InFlight waiting, Duration limit) {
        if (inFlight != waiting) return;
        lateReplies.warn("AGI connection from {} closed: no reply to {} within {} ms", remoteAddress, waiting.verb(), limit.toMillis());
        onClosed("no reply within " + limit.toMillis() + " ms");
        channel.close();
    }

    /** {@code SET VARIABLE} of {@code SET VARIABLE "X" "v"}: names the command without its arguments (caller data). */
    private static String verb(AgiCommand command) {
        String line = String.valueOf(AgiCommandLine.of(command));
        int end = 0;
        while (end < line.length() && (Character.isUpperCase(line.charAt(end)) || line.charAt(end) == ' ')) end++;
        String verb = line.substring(0, end).strip();
        return verb.isEmpty() ? command.getClass().getSimpleName() : verb;
    }
}
