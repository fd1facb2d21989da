package io.crmroute.agi;

import io.netty.channel.Channel;
import io.netty.handler.codec.EncoderException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AgiSession} of one channel. Its state is touched on the channel's event loop only:
 * {@link #send} hops there, and the handler calls {@link #onReply}, {@link #onHangup} and
 * {@link #onClosed} from there. The one place where statuses become outcomes is {@link #onReply}.
 */
final class ChannelAgiSession implements AgiSession {

    private static final Logger log = LoggerFactory.getLogger(ChannelAgiSession.class);

    private final Channel channel;
    private final AgiEnvironment environment;
    private final InetSocketAddress remoteAddress;
    private volatile boolean hungUp;
    private String closedReason;
    private InFlight inFlight;

    /** The command itself, not its verb: the verb is only for failures, so it is built only then. */
    private record InFlight(AgiCommand command, CompletableFuture<AgiReply> reply) {
        String verb() {
            return ChannelAgiSession.verb(command);
        }
    }

    ChannelAgiSession(Channel channel, AgiEnvironment environment) {
        this.channel = channel;
        this.environment = environment;
        this.remoteAddress = (InetSocketAddress) channel.remoteAddress();
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
    public boolean hungUp() {
        return hungUp;
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
        channel.writeAndFlush(command).addListener(write -> {
            if (write.isSuccess()) return;
            if (inFlight == sent) inFlight = null;
            Throwable cause = write.cause();
            reply.completeExceptionally(cause instanceof EncoderException && cause.getCause() != null ? cause.getCause() : cause);
        });
    }

    /** A 200 completes the command in flight; 510, 511 and 520 fail it with the reply. */
    void onReply(AgiReply reply) {
        InFlight answered = inFlight;
        if (answered == null) {
            log.debug("AGI reply {} from {} with no command in flight, ignored", reply.status(), remoteAddress);
            return;
        }
        inFlight = null;
        if (reply.status() == AgiStatus.SUCCESS) {
            answered.reply().complete(reply);
        } else {
            answered.reply().completeExceptionally(new AgiCommandException(answered.verb(), reply));
        }
    }

    /** The caller hung up; a reply may still be on its way, so the command in flight keeps waiting. */
    void onHangup() {
        hungUp = true;
    }

    void onClosed(String reason) {
        if (closedReason == null) closedReason = reason;
        InFlight failed = inFlight;
        inFlight = null;
        if (failed != null) failed.reply().completeExceptionally(new AgiSessionClosedException(failed.verb() + ": " + reason));
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
