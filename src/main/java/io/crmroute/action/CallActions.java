package io.crmroute.action;

import io.crmroute.concurrent.Futures;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.CrmWrite;
import io.crmroute.crm.WriteKind;
import io.crmroute.crm.WriteRequest;
import io.crmroute.crm.WriteResult;
import io.crmroute.route.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a call does with its route's {@code actions:} once its outcome is known: {@link #runSync} writes the
 * outcome's sync actions one after another within what is left of the route's budget (the call waits: a
 * created record's id reaches the dialplan), {@link #queueAsync} hands its async actions to the
 * {@link ActionQueue}, or with a database to the {@link Outbox} (the call never waits). {@link #NONE} does
 * neither ({@code simulate} writes nothing).
 */
public final class CallActions {

    /** Runs no action. */
    public static final CallActions NONE = new CallActions(null, ActionListener.NONE, Clock.systemUTC(), System::nanoTime);

    private final ActionQueue queue; // null for NONE
    private final Outbox outbox; // null without a database
    private final ActionListener listener;
    private final Clock clock;
    private final LongSupplier nanoTime;

    /**
     * What the sync actions came to: the records they created (by create or log-call; an update's record is the
     * matched one), or why they failed (the call takes the failure path).
     */
    public record SyncOutcome(List<WriteResult> created, Optional<String> failure) {
        public static final SyncOutcome NOTHING = new SyncOutcome(List.of(), Optional.empty());

        public SyncOutcome {
            created = List.copyOf(created);
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** @param listener told how each sync action ended (the queue tells its own of async ones) */
    public CallActions(ActionQueue queue, ActionListener listener, Clock clock, LongSupplier nanoTime) {
        this(queue, null, listener, clock, nanoTime);
    }

    /** @param outbox where async actions go with a database (null: to {@code queue}) */
    public CallActions(ActionQueue queue, Outbox outbox, ActionListener listener, Clock clock, LongSupplier nanoTime) {
        this.queue = queue;
        this.outbox = outbox;
        this.listener = listener;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    public boolean hasSync(Route route, ActionCall call) {
        return queue != null && route.actions().of(call.outcome()).stream().anyMatch(action -> action.options().sync());
    }

    /**
     * Writes the sync actions of {@code call}'s outcome in order within {@code budget} (timed on
     * {@code scheduler}); never fails. The first failure, or the end of the budget, stops them: the outcome
     * names it. A write cut off by the budget is left to finish and is told to the listener when it does.
     */
    public CompletableFuture<SyncOutcome> runSync(CrmConnector crm, Route route, ActionCall call, Duration budget,
                                                  ScheduledExecutorService scheduler) {
        if (!hasSync(route, call)) return CompletableFuture.completedFuture(SyncOutcome.NOTHING);
        List<PlannedWrite> writes = PlannedWrite.of(route, call, true, clock.instant());
        CompletableFuture<SyncOutcome> outcome = new CompletableFuture<>();
        if (budget.isZero() || budget.isNegative()) {
            outcome.complete(new SyncOutcome(List.of(), Optional.of("crm " + crm.name() + ": no time left for the sync actions")));
            return outcome;
        }
        long deadline = nanoTime.getAsLong() + budget.toNanos();
        ScheduledFuture<?> timer = scheduler.schedule(() -> outcome.complete(new SyncOutcome(List.of(),
                Optional.of("crm " + crm.name() + ": sync actions not done within " + budget.toMillis() + " ms"))), budget.toNanos(), TimeUnit.NANOSECONDS);
        outcome.whenComplete((done, ignored) -> timer.cancel(false));
        next(crm, call, writes, 0, new ArrayList<>(), deadline, outcome);
        return outcome;
    }

    private void next(CrmConnector crm, ActionCall call, List<PlannedWrite> writes, int index, List<WriteResult> made, long deadline,
                      CompletableFuture<SyncOutcome> outcome) {
        if (outcome.isDone()) return;
        if (index == writes.size()) {
            outcome.complete(new SyncOutcome(made, Optional.empty()));
            return;
        }
        PlannedWrite planned = writes.get(index);
        long left = deadline - nanoTime.getAsLong();
        CompletableFuture<WriteResult> write;
        try {
            write = crm.write(new WriteRequest(planned.write(), Duration.ofNanos(Math.max(1, left))));
        } catch (RuntimeException bug) {
            write = CompletableFuture.failedFuture(bug);
        }
        write.whenComplete((result, error) -> {
            Throwable cause = error == null ? null : Futures.unwrap(error);
            String reason = cause == null ? null
                    : cause instanceof CrmException ? cause.getMessage() : "crm " + crm.name() + ": " + cause.getClass().getSimpleName();
            listener.onAction(new ActionRecord(clock.instant(), call.uniqueid(), call.route(), crm.name(), WriteKind.of(planned.write()),
                    planned.write().object(), result == null ? Optional.empty() : Optional.of(result.id()),
                    error == null ? ActionRecord.Result.WRITTEN : ActionRecord.Result.FAILED, 1, Optional.ofNullable(reason)));
            if (error != null) {
                outcome.complete(new SyncOutcome(made, Optional.of(reason)));
                return;
            }
            if (!(planned.write() instanceof CrmWrite.Update)) made.add(result);
            next(crm, call, writes, index + 1, made, deadline, outcome);
        });
    }

    /** Queues the async actions of {@code call}'s outcome (in the outbox when there is one); returns at once. */
    public void queueAsync(Route route, ActionCall call) {
        if (queue == null || route.actions().of(call.outcome()).isEmpty()) return;
        for (PlannedWrite planned : PlannedWrite.of(route, call, false, clock.instant())) {
            ActionQueue.Queued action = new ActionQueue.Queued(call.uniqueid(), call.route(), route.crm(), planned.write(),
                    planned.action().options().retryFor());
            if (outbox != null) outbox.offer(action);
            else queue.offer(action);
        }
    }
}
