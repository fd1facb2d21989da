package io.crmroute.route;

import io.crmroute.crm.LookupResult;
import java.util.Objects;

/** What asking the CRM came to, before any rule is evaluated. */
public sealed interface LookupOutcome permits LookupOutcome.Found, LookupOutcome.NoValue, LookupOutcome.Withheld, LookupOutcome.Failed,
        LookupOutcome.HungUp {

    /** The CRM answered; its result may hold no record. */
    record Found(LookupResult result) implements LookupOutcome {
        public Found {
            Objects.requireNonNull(result, "result");
        }
    }

    /** There was nothing to look up (no digits pressed, an empty argument, an over-long value). */
    record NoValue(String why) implements LookupOutcome {}

    /** The match value is the caller ID and the caller withheld it. */
    record Withheld() implements LookupOutcome {}

    /** The CRM failed: timeout, refused, HTTP error, bad reply, breaker open. */
    record Failed(String reason) implements LookupOutcome {}

    /** The caller hung up before the lookup came to anything: nothing to route, the CRM's answer is not awaited. */
    record HungUp() implements LookupOutcome {}
}
