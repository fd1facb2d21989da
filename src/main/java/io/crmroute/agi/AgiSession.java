package io.crmroute.agi;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.asteriskjava.fastagi.command.AgiCommand;

/**
 * One FastAGI connection, after its environment block. Exactly one command is in flight: a second
 * {@link #send} while one waits fails at once. {@link #send} never throws; its future completes with
 * the 200 reply, or exceptionally with {@link AgiCommandException} (510, 511, 520, or a result of -1
 * on a command where that means failure is NOT mapped: callers read the result) or
 * {@link AgiSessionClosedException} when the connection ends first, or when the reply does not come
 * within its deadline (then the connection is closed too).
 */
public interface AgiSession {

    AgiEnvironment environment();

    InetSocketAddress remoteAddress();

    CompletableFuture<AgiReply> send(AgiCommand command);

    /**
     * Completes when Asterisk says {@code HANGUP}: the caller is gone, but variables can still be set (the
     * {@code h} extension reads them) while channel commands get 511. Never completes otherwise. Each call
     * returns a new future: completing or cancelling it touches nobody else's.
     */
    CompletableFuture<Void> hangup();

    /** The session's own event loop, for deadlines that must not cost a thread. */
    ScheduledExecutorService scheduler();
}
