package io.crmroute.config;

import java.util.OptionalInt;

/** One thing wrong with a config: the key path ({@code routes.vip.rules[2].op}), its line, what is wrong. */
public record ConfigProblem(String path, OptionalInt line, String message) {

    /** The line {@code check} prints: {@code routes.vip.rules[2].op (line 14): unknown operator "=~" ...}. */
    @Override
    public String toString() {
        return path + (line.isPresent() ? " (line " + line.getAsInt() + ")" : "") + ": " + message;
    }
}
