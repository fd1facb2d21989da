package io.crmroute.crm;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One key a CRM type takes, as its connector declares it: the key's path under the CRM's entry
 * ({@code api-version}, or {@code auth.client-id} for a key under {@code auth:}), how its text
 * becomes a typed value, and whether it is required or has a default. Read once, at load, by
 * {@link CrmType#read}; a connector then only ever sees the typed value.
 */
public final class CrmKey<T> {

    static final String AUTH_PREFIX = "auth.";

    /** Turns a key's text into its value, or throws {@link IllegalArgumentException} saying what was expected. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text, Context context);
    }

    /** What a parser may need besides the text: where relative paths start, whether http:// is allowed. */
    public record Context(Path configDir, boolean allowInsecure) {}

    private final String path;
    private final Parser<T> parser;
    private final boolean required;
    private final Optional<T> fallback;
    private final boolean secret;

    private CrmKey(String path, Parser<T> parser, boolean required, Optional<T> fallback, boolean secret) {
        this.path = path;
        this.parser = parser;
        this.required = required;
        this.fallback = fallback;
        this.secret = secret;
    }

    /** A key the type cannot work without. */
    static <T> CrmKey<T> required(String path, Parser<T> parser) {
        return new CrmKey<>(path, parser, true, Optional.empty(), false);
    }

    /** A key that may be left out; read it with {@link CrmValues#find}. */
    static <T> CrmKey<T> optional(String path, Parser<T> parser) {
        return new CrmKey<>(path, parser, false, Optional.empty(), false);
    }

    /** A key that is {@code fallback} when left out. */
    static <T> CrmKey<T> withDefault(String path, Parser<T> parser, T fallback) {
        return new CrmKey<>(path, parser, false, Optional.of(fallback), false);
    }

    /** This key, holding a credential: a problem with its value never repeats the value. */
    CrmKey<T> secret() {
        return new CrmKey<>(path, parser, required, fallback, true);
    }

    /** The key path under the CRM's entry, as problems name it. */
    public String path() {
        return path;
    }

    public boolean required() {
        return required;
    }

    /** Whether the key sits under {@code auth:}. */
    public boolean underAuth() {
        return path.startsWith(AUTH_PREFIX);
    }

    /** The key's name in its own map: {@code client-id} for {@code auth.client-id}. */
    public String name() {
        return underAuth() ? path.substring(AUTH_PREFIX.length()) : path;
    }

    public boolean isSecret() {
        return secret;
    }

    Optional<T> fallback() {
        return fallback;
    }

    T parse(String text, Context context) {
        return parser.parse(text, context);
    }

    @Override
    public String toString() {
        return path;
    }
}
