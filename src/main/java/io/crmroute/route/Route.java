package io.crmroute.route;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One named route: the lookup to make, the rules to evaluate on its result, and where each other
 * path goes. {@code nomatch} and {@code withheld} fall back as DESIGN.md says (withheld to nomatch,
 * nomatch to default); {@code multiple} and {@code failure} fall back to default. {@code actions} are the
 * writes each outcome asks of the CRM (none by default).
 */
public record Route(
        String name,
        String crm,
        String object,
        Match match,
        Optional<DtmfPrompt> dtmf,
        List<String> retrieve,
        String field,
        int records,
        Duration timeout,
        List<Rule> rules,
        Fallback defaultPath,
        Optional<Fallback> nomatch,
        Optional<Fallback> multiple,
        Optional<Fallback> withheld,
        Optional<Fallback> failure,
        RouteActions actions) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(1500);

    /** A route without write actions. */
    public Route(String name, String crm, String object, Match match, Optional<DtmfPrompt> dtmf, List<String> retrieve, String field,
                 int records, Duration timeout, List<Rule> rules, Fallback defaultPath, Optional<Fallback> nomatch,
                 Optional<Fallback> multiple, Optional<Fallback> withheld, Optional<Fallback> failure) {
        this(name, crm, object, match, dtmf, retrieve, field, records, timeout, rules, defaultPath, nomatch, multiple, withheld, failure,
                RouteActions.NONE);
    }

    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(crm, "crm");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(match, "match");
        dtmf = dtmf == null ? Optional.empty() : dtmf;
        retrieve = List.copyOf(retrieve);
        Objects.requireNonNull(field, "field");
        if (records < 1) throw new IllegalArgumentException("records: " + records + " (expected: >= 1)");
        Objects.requireNonNull(timeout, "timeout");
        rules = List.copyOf(rules);
        Objects.requireNonNull(defaultPath, "default");
        nomatch = nomatch == null ? Optional.empty() : nomatch;
        multiple = multiple == null ? Optional.empty() : multiple;
        withheld = withheld == null ? Optional.empty() : withheld;
        failure = failure == null ? Optional.empty() : failure;
        actions = actions == null ? RouteActions.NONE : actions;
    }

    /** Every field the CRM must return: the compared ones and the retrieved ones. */
    public List<String> fieldsToFetch() {
        Set<String> fields = new LinkedHashSet<>();
        fields.add(field);
        for (Rule rule : rules) rule.field().ifPresent(fields::add);
        fields.addAll(retrieve);
        return List.copyOf(fields);
    }

    /** How many records to ask for: one more than wanted when one is wanted, to see MULTIPLE. */
    public int lookupLimit() {
        return records == 1 ? 2 : records;
    }

    public Fallback nomatchPath() {
        return nomatch.orElse(defaultPath);
    }

    public Fallback withheldPath() {
        return withheld.orElseGet(this::nomatchPath);
    }

    public Fallback multiplePath() {
        return multiple.orElse(defaultPath);
    }

    public Fallback failurePath() {
        return failure.orElse(defaultPath);
    }
}
