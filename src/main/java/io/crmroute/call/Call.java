package io.crmroute.call;

import io.crmroute.action.ActionCall;
import io.crmroute.action.CallActions;
import io.crmroute.agi.AgiEnvironment;
import io.crmroute.agi.AgiReply;
import io.crmroute.agi.AgiSession;
import io.crmroute.concurrent.Futures;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.LookupRequest;
import io.crmroute.crm.LookupResult;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.route.ActionOutcome;
import io.crmroute.route.ChannelVariables;
import io.crmroute.route.Decision;
import io.crmroute.route.DtmfPrompt;
import io.crmroute.route.LookupOutcome;
import io.crmroute.route.MatchSource;
import io.crmroute.route.Route;
import io.crmroute.route.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;

/**
 * One call on one route, step by step: digits, match value, lookup, decision. Its fields are written
 * by one step and read by the next, never concurrently: the steps are a chain of futures.
 *
 * <p>The call owns its deadline: the route's budget for the CRM runs on the session's scheduler, and
 * when it ends the lookup outcome is FAILED and the lookup future is cancelled (a lookup shared with
 * other callers goes on for them). When the caller hangs up, a CRM wait ends at once as HANGUP and the
 * lookup is cancelled the same way; an AGI command in flight is answered by Asterisk at once on a dead
 * channel, and its reply, within its own deadline, is followed by HANGUP too.
 */
final class Call {

    private final AgiSession session;
    private final Route route;
    private final CrmConnector crm;
    private final Optional<PhoneMatching> crmPhone;
    private final Consumer<String> trace;
    private final LongSupplier nanoTime;
    private final CompletableFuture<Void> hangup;
    private final CallActions actions;
    private final Instant started;

    private String digits = "";
    private Optional<LookupOutcome> outcome = Optional.empty();
    private Optional<Duration> crmTime = Optional.empty();
    private Map<String, String> written = Map.of();

    Call(AgiSession session, Route route, CrmConnector crm, Optional<PhoneMatching> crmPhone, Consumer<String> trace,
         LongSupplier nanoTime, CallActions actions, Instant started) {
        this.session = session;
        this.route = route;
        this.crm = crm;
        this.crmPhone = crmPhone;
        this.trace = trace;
        this.nanoTime = nanoTime;
        this.hangup = session.hangup();
        this.actions = actions;
        this.started = started;
    }

    CompletableFuture<Decision> run() {
        return collectDigits()
                .thenCompose(collected -> {
                    digits = collected;
                    return unlessHungUp(this::lookup);
                })
                .thenCompose(result -> {
                    outcome = Optional.of(result);
                    return withSyncActions(Router.decide(route, digits, result));
                });
    }

    /**
     * The decision once the outcome's sync actions are written within what is left of the route's budget: the
     * same, with the records they made for {@link #written}; FAILED with the reason when one failed or time ran
     * out; HANGUP when the caller hung up meanwhile (the write goes on, and is audited, without them).
     */
    private CompletableFuture<Decision> withSyncActions(Decision decision) {
        Optional<ActionCall> facts = actionCall(decision);
        if (facts.isEmpty() || !actions.hasSync(route, facts.get())) return CompletableFuture.completedFuture(decision);
        Duration left = route.timeout().minus(crmTime.orElse(Duration.ZERO));
        CompletableFuture<Decision> next = new CompletableFuture<>();
        actions.runSync(crm, route, facts.get(), left, session.scheduler()).thenAccept(sync -> {
            if (sync.failure().isPresent()) {
                next.complete(Router.decide(route, digits, new LookupOutcome.Failed(Failures.oneLine(sync.failure().get()))));
                return;
            }
            Map<String, String> variables = new LinkedHashMap<>();
            sync.created().forEach(record -> variables.putAll(ChannelVariables.ofWritten(record.object(), record.id(), record.url())));
            written = variables;
            next.complete(decision);
        });
        hangup.thenRun(() -> next.complete(Router.decide(route, digits, new LookupOutcome.HungUp())));
        return next;
    }

    /** Queues the async actions of {@code decision}'s outcome (the one the call took); returns at once. */
    void queueAsyncActions(Decision decision) {
        actionCall(decision).ifPresent(facts -> actions.queueAsync(route, facts));
    }

    /** {@code CRM_{object}_ID} and {@code _URL} of the records sync actions made, to set with the decision's variables. */
    Map<String, String> written() {
        return written;
    }

    private Optional<ActionCall> actionCall(Decision decision) {
        if (route.actions().isEmpty()) return Optional.empty();
        return ActionOutcome.of(decision.status()).map(key -> {
            AgiEnvironment environment = session.environment();
            Map<String, String> variables = new LinkedHashMap<>(ChannelVariables.of(decision));
            variables.putAll(written);
            return new ActionCall(route.name(), key, environment.uniqueId(), environment.channel(), environment.callerId(),
                    environment.get("dnid").orElse(""), digits, environment.args(), started, variables, decision.records());
        });
    }

    String digits() {
        return digits;
    }

    Optional<LookupOutcome> outcome() {
        return outcome;
    }

    Optional<Duration> crmTime() {
        return crmTime;
    }

    private CompletableFuture<String> collectDigits() {
        if (route.dtmf().isEmpty()) return CompletableFuture.completedFuture("");
        DtmfPrompt dtmf = route.dtmf().get();
        GetDataCommand getData = new GetDataCommand(dtmf.prompt(), dtmf.timeout().toMillis(), dtmf.maxDigits());
        return session.send(getData).handle((reply, failure) -> {
            if (failure != null) {
                // A dead channel or a refused command means no digits; a closed session ends the call.
                Failures.rethrowIfClosed(failure);
                return "";
            }
            return "-1".equals(reply.result()) ? "" : MatchValues.digits(reply.result(), dtmf.maxDigits());
        });
    }

    private CompletableFuture<LookupOutcome> lookup() {
        MatchSource from = route.match().from();
        AgiEnvironment environment = session.environment();
        if (from instanceof MatchSource.CallerId) {
            String callerId = environment.callerId();
            if (MatchValues.isWithheld(callerId)) return CompletableFuture.completedFuture(new LookupOutcome.Withheld());
            return ask(callerId.trim(), route.match().phone().or(() -> crmPhone));
        }
        Optional<PhoneMatching> phone = route.match().phone();
        if (from instanceof MatchSource.Digits) return ask(digits, phone);
        if (from instanceof MatchSource.Argument) {
            return ask(environment.arg(((MatchSource.Argument) from).position()).orElse(""), phone);
        }
        String variable = ((MatchSource.ChannelVariable) from).name();
        return session.send(new GetVariableCommand(variable))
                .thenCompose(reply -> unlessHungUp(() -> ask(variableValue(reply), phone)));
    }

    /** The next step, or HANGUP when Asterisk has said so: checked after each reply, it may have come while the command ran. */
    private CompletableFuture<LookupOutcome> unlessHungUp(Supplier<CompletableFuture<LookupOutcome>> next) {
        return hangup.isDone() ? CompletableFuture.completedFuture(new LookupOutcome.HungUp()) : next.get();
    }

    private static String variableValue(AgiReply reply) {
        return "1".equals(reply.result()) ? reply.data().orElse("") : "";
    }

    private CompletableFuture<LookupOutcome> ask(String value, Optional<PhoneMatching> phone) {
        if (value.isBlank()) return CompletableFuture.completedFuture(new LookupOutcome.NoValue("no value to look up"));
        if (value.length() > MatchValues.MAX_LENGTH) {
            return CompletableFuture.completedFuture(
                    new LookupOutcome.NoValue("value longer than " + MatchValues.MAX_LENGTH + " characters"));
        }
        LookupRequest request = new LookupRequest(route.object(), route.match().field(), value, phone, route.fieldsToFetch(),
                route.lookupLimit(), digits, session.environment().callerId(), route.timeout(), trace);
        long started = nanoTime.getAsLong();
        CompletableFuture<LookupResult> lookup;
        try {
            lookup = crm.lookup(request);
        } catch (RuntimeException bug) {
            lookup = CompletableFuture.failedFuture(bug);
        }
        CompletableFuture<LookupOutcome> outcome = new CompletableFuture<>();
        lookup.whenComplete((result, failure) ->
                outcome.complete(failure == null ? new LookupOutcome.Found(result) : new LookupOutcome.Failed(reason(failure))));
        hangup.thenRun(() -> outcome.complete(new LookupOutcome.HungUp()));
        if (!outcome.isDone()) {
            Duration budget = route.timeout();
            ScheduledFuture<?> deadline = session.scheduler().schedule(() -> outcome.complete(
                    new LookupOutcome.Failed("crm " + crm.name() + ": no answer within " + budget.toMillis() + " ms")),
                    budget.toNanos(), TimeUnit.NANOSECONDS);
            outcome.whenComplete((settled, ignored) -> deadline.cancel(false));
        }
        CompletableFuture<LookupResult> asked = lookup;
        return outcome.whenComplete((settled, ignored) -> {
            crmTime = Optional.of(Duration.ofNanos(nanoTime.getAsLong() - started));
            // This caller is done with its future; a lookup shared with other callers goes on for them. Out of
            // budget says the CRM was too slow (its breaker counts it); a hang-up says nothing about the CRM.
            // Checked first: nearly every lookup has answered by now, and an exception made for nothing (its stack
            // trace filled in) was one per call in the benchmark's profile.
            if (asked.isDone()) return;
            if (settled instanceof LookupOutcome.HungUp) asked.cancel(false);
            else asked.completeExceptionally(new TimeoutException("caller's budget ended"));
        });
    }

    private String reason(Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        if (cause instanceof CrmException) return Failures.oneLine(cause.getMessage());
        return "crm " + crm.name() + ": " + cause.getClass().getSimpleName();
    }
}
