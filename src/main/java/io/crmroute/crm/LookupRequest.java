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
 * them as parameters (the custom HTTP CRM). {@code budget} is the time left for the whole lookup;
 * every HTTP request a connector sends must time out within it. {@code trace} receives one line per
 * request sent, secrets masked, for {@code simulate}.
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
        Consumer<String> trace) {

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
    }

    /** The same request with a different budget, for retries within the time left. */
    public LookupRequest withBudget(Duration newBudget) {
        return new LookupRequest(object, field, value, phone, fields, limit, digits, callerId, newBudget, trace);
    }

    /** The key under which equal lookups share one CRM request and one cache entry. */
    public String cacheKey() {
        return object + '\u0000' + field + '\u0000' + value + '\u0000' + digits + '\u0000' + callerId
                + '\u0000' + limit + '\u0000' + String.join(",", fields);
    }
}
