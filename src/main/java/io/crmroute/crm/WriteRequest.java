package io.crmroute.crm;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A write to send within {@code budget} (every HTTP request it takes must end within it), tracing one
 * line per request sent, stopped early when {@code abort} fires. A write that fails with a
 * {@link CrmException} that is {@linkplain CrmException#worthRetrying worth retrying} may be sent again,
 * the same request with the same {@link CrmWrite#callKey}.
 */
public record WriteRequest(CrmWrite write, Duration budget, Consumer<String> trace, LookupAbort abort) {

    public WriteRequest {
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(budget, "budget");
        trace = trace == null ? LookupRequest.NO_TRACE : trace;
        abort = abort == null ? LookupAbort.NEVER : abort;
    }

    public WriteRequest(CrmWrite write, Duration budget) {
        this(write, budget, LookupRequest.NO_TRACE, LookupAbort.NEVER);
    }

    /** The same write with a different budget, for a retry within the time left. */
    public WriteRequest withBudget(Duration newBudget) {
        return new WriteRequest(write, newBudget, trace, abort);
    }
}
