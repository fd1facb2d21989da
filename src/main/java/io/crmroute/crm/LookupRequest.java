package io.crmroute.crm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What to find: records of {@code object} whose {@code field} equals {@code value} (in any of the
 * phone notations {@code phone} allows, when set), with the fields to return and at most
 * {@code limit} records. {@code digits} and {@code callerId} are passed along for CRMs that take
 * them as parameters (the custom HTTP CRM). {@code budget} is the time the lookup may take: the
 * caller's budget as the caller builds it; the CRM's {@code timeout} once {@link CrmConnectors#create}
 * shares the request among callers (each caller then leaves on its own budget). Every HTTP request a
 * connector sends must end within it. {@code trace} receives one line per request sent, secrets masked,
 * for {@code simulate}. {@code abort} fires when nobody waits for the answer any more.
 */
public record LookupRequest(
        String object,
        String field,
        String value,
        Optional<PhoneMatching> phone,
        List<String> fields,
        int limit,
        String digits,
        String callerId,
        Duration budget,
        Consumer<String> trace,
        LookupAbort abort) {

    public static final Consumer<String> NO_TRACE = line -> {};

    public LookupRequest {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        phone = phone == null ? Optional.empty() : phone;
        fields = List.copyOf(fields);
        if (limit < 1) throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        digits = digits == null ? "" : digits;
        callerId = callerId == null ? "" : callerId;
        Objects.requireNonNull(budget, "budget");
        trace = trace == null ? NO_TRACE : trace;
        abort = abort == null ? LookupAbort.NEVER : abort;
    }

    /** A request nothing aborts but its own budget: what callers build. */
    public LookupRequest(String object, String field, String value, Optional<PhoneMatching> phone, List<String> fields,
            int limit, String digits, String callerId, Duration budget, Consumer<String> trace) {
        this(object, field, value, phone, fields, limit, digits, callerId, budget, trace, LookupAbort.NEVER);
    }

    /** The same request with a different budget, for retries within the time left. */
    public LookupRequest withBudget(Duration newBudget) {
        return new LookupRequest(object, field, value, phone, fields, limit, digits, callerId, newBudget, trace, abort);
    }

    /** The same request, stopped by {@code newAbort}. */
    LookupRequest withAbort(LookupAbort newAbort) {
        return new LookupRequest(object, field, value, phone, fields, limit, digits, callerId, budget, trace, newAbort);
    }

    /**
     * The key under which equal lookups share one CRM request and one cache entry: what the request
     * sends. {@code digits} and {@code callerId} count only for a CRM that sends them
     * ({@code sendsCallData}, the custom {@code http} CRM); every other CRM is asked the same
     * question for the same value, whoever calls.
     */
    public String shareKey(boolean sendsCallData) {
        String call = sendsCallData ? digits + '\u0000' + callerId : "";
        return object + '\u0000' + field + '\u0000' + value + '\u0000' + phone.map(PhoneMatching::toString).orElse("")
                + '\u0000' + limit + '\u0000' + String.join(",", fields) + '\u0000' + call;
    }
}
