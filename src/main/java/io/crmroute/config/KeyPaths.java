package io.crmroute.config;

import java.util.Map;
import java.util.OptionalInt;

/** Key paths as problems name them: {@code routes.vip.rules[1].op}, list indexes 0-based. */
final class KeyPaths {

    private KeyPaths() {}

    static String key(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A prefix such as {@code "routes.vip."} or {@code ""} as a path of its own. */
    static String ofPrefix(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /**
     * The line of {@code path}, or of its nearest ancestor written in the file: a missing key is
     * reported on the line of the map that lacks it.
     */
    static OptionalInt line(Map<String, Integer> lines, String path) {
        String at = path;
        while (!at.isEmpty()) {
            Integer line = lines.get(at);
            if (line != null) return OptionalInt.of(line);
            int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
            at = cut < 0 ? "" : at.substring(0, cut);
        }
        return OptionalInt.empty();
    }
}
