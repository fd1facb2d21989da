package io.crmroute.bench;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Comparing the channel variables a call received with the ones expected. */
final class Variables {

    /** In an expected map, a value that means "any non-empty value" (CRMROUTE_ERROR's text is free). */
    static final String ANY = "*";

    private Variables() {}

    /** The CRMROUTE_* variables only: CRM_* fields depend on the connector and are not compared. */
    static Map<String, String> crmroute(Map<String, String> received) {
        Map<String, String> out = new TreeMap<>();
        received.forEach((name, value) -> {
            if (name.startsWith("CRMROUTE_")) out.put(name, value);
        });
        return out;
    }

    /** Empty when {@code actual} has exactly the expected names and values; otherwise what differs. */
    static Optional<String> compare(Map<String, String> expected, Map<String, String> actual) {
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        StringBuilder diff = new StringBuilder();
        for (String name : names) {
            String want = expected.get(name);
            String got = actual.get(name);
            boolean same = want != null && got != null && (want.equals(got) || (ANY.equals(want) && !got.isEmpty()));
            if (!same) diff.append(name).append(": expected ").append(want).append(", got ").append(got).append("; ");
        }
        return diff.length() == 0 ? Optional.empty() : Optional.of(diff.toString());
    }
}
