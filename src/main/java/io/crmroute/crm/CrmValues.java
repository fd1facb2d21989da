package io.crmroute.crm;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The typed values of one entry's keys, read and valid, handed to a type's settings builder. A
 * builder may still find keys that contradict each other: it reports them with {@link #problem},
 * and its settings are then dropped.
 */
final class CrmValues {

    private final String type;
    private final Map<CrmKey<?>, Object> values;
    private final KeyProblems problems;
    private boolean failed;

    CrmValues(String type, Map<CrmKey<?>, Object> values, KeyProblems problems) {
        this.type = type;
        this.values = values;
        this.problems = problems;
    }

    /** The value of a required or defaulted key. */
    <T> T get(CrmKey<T> key) {
        return find(key).or(key::fallback).orElseThrow(() -> new NoSuchElementException(key + " has no value and no default"));
    }

    /** The value as written, if it was. */
    @SuppressWarnings("unchecked") // values are put by key, from that key's own parser
    <T> Optional<T> find(CrmKey<T> key) {
        return Optional.ofNullable((T) values.get(key));
    }

    /** Whether {@code key} was written. */
    boolean has(CrmKey<?> key) {
        return values.containsKey(key);
    }

    /** {@code key} is missing although the entry needs it, as {@code because} says. */
    void missing(CrmKey<?> key, String because) {
        problem(key, "missing (required for " + type + " " + because + ")");
    }

    void problem(CrmKey<?> key, String message) {
        failed = true;
        problems.problem(key.path(), message);
    }

    boolean failed() {
        return failed;
    }
}
