package io.crmroute.crm;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A kind of CRM crmroute speaks to, as its connector declares it: the name used in {@code type:},
 * the keys an entry of that type takes ({@link CrmKey}), how their values make the connector's
 * typed settings {@code S}, and how a connector is built from them. {@link CrmTypes} lists them all.
 * The config loader reads every key through {@link #read} at load, so a connector never meets a
 * setting it cannot use.
 */
public final class CrmType<S> {

    /** Builds a connector from its entry and the settings read from it. */
    @FunctionalInterface
    interface Connect<S> {
        CrmConnector connect(CrmSpec spec, S settings, CrmContext context);
    }

    /**
     * The type of an entry whose {@code type:} could not be read: routes naming that CRM are checked
     * as leniently as any type allows, so they are told about their own problems only.
     */
    public static final CrmType<Void> UNREAD = new CrmType<>("unread", Void.class, values -> null, (spec, settings, context) -> {
        throw new IllegalStateException("a CRM whose type could not be read has no connector");
    }, List.of(), false, false);

    private final String id;
    private final Class<S> settingsType;
    private final Function<CrmValues, S> settings;
    private final Connect<S> connect;
    private final List<CrmKey<?>> keys;
    private final boolean objectRequired;
    private final boolean takesHeaders;

    private CrmType(String id, Class<S> settingsType, Function<CrmValues, S> settings, Connect<S> connect,
                    List<CrmKey<?>> keys, boolean objectRequired, boolean takesHeaders) {
        this.id = id;
        this.settingsType = settingsType;
        this.settings = settings;
        this.connect = connect;
        this.keys = List.copyOf(keys);
        this.objectRequired = objectRequired;
        this.takesHeaders = takesHeaders;
    }

    /**
     * A type named {@code id} taking {@code keys}; {@code settings} makes its settings from their values
     * (reporting keys that contradict each other), {@code connect} its connector from those settings.
     * Missing required keys are reported in the order given here.
     */
    static <S> CrmType<S> of(String id, Class<S> settingsType, Function<CrmValues, S> settings, Connect<S> connect, CrmKey<?>... keys) {
        return new CrmType<>(id, settingsType, settings, connect, List.of(keys), true, false);
    }

    /** This type, whose routes need not name an object (the CRM has only one kind of record). */
    CrmType<S> objectOptional() {
        return new CrmType<>(id, settingsType, settings, connect, keys, false, takesHeaders);
    }

    /** This type, taking a {@code headers:} map sent with every request. */
    CrmType<S> withHeaders() {
        return new CrmType<>(id, settingsType, settings, connect, keys, objectRequired, true);
    }

    /** The name used in {@code type:}. */
    public String id() {
        return id;
    }

    /** Whether a route on a CRM of this type must name the object (module, entity) it searches. */
    public boolean objectRequired() {
        return objectRequired;
    }

    public boolean takesHeaders() {
        return takesHeaders;
    }

    /** The type's own keys, in declaration order. */
    public List<CrmKey<?>> keys() {
        return keys;
    }

    /** The type's keys directly in its entry (not under {@code auth:}). */
    public Set<String> entryKeys() {
        return names(false);
    }

    /** The keys it takes under {@code auth:}; none means the type has no {@code auth:} map. */
    public Set<String> authKeys() {
        return names(true);
    }

    /**
     * Reads an entry's keys: {@code texts} holds each key written, by its path ({@code api-version},
     * {@code auth.client-id}). Answers the typed settings, or empty after reporting every problem.
     */
    public Optional<S> read(Map<String, String> texts, CrmKey.Context context, KeyProblems problems) {
        Map<CrmKey<?>, Object> values = new HashMap<>();
        boolean valid = true;
        for (CrmKey<?> key : keys) {
            String text = texts.get(key.path());
            if (text == null) {
                if (key.required()) {
                    problems.problem(key.path(), "missing (required for " + id + ")");
                    valid = false;
                }
                continue;
            }
            try {
                values.put(key, key.parse(text, context));
            } catch (IllegalArgumentException invalid) {
                if (key.isSecret()) problems.problem(key.path(), invalid.getMessage());
                else problems.invalid(key.path(), text, invalid.getMessage());
                valid = false;
            }
        }
        if (!valid) return Optional.empty();
        CrmValues read = new CrmValues(id, values, problems);
        S made = settings.apply(read);
        return read.failed() ? Optional.empty() : Optional.of(made);
    }

    /** Whether {@code value} is settings of this type. */
    boolean accepts(Object value) {
        return settingsType.isInstance(value);
    }

    /** The connector for {@code spec}, an entry of this type. */
    CrmConnector connect(CrmSpec spec, CrmContext context) {
        if (!accepts(spec.settings())) throw new IllegalArgumentException("crm " + spec.name() + ": its entry was not read as " + id);
        return connect.connect(spec, settingsType.cast(spec.settings()), context);
    }

    private Set<String> names(boolean underAuth) {
        Set<String> names = new LinkedHashSet<>();
        for (CrmKey<?> key : keys) if (key.underAuth() == underAuth) names.add(key.name());
        return names;
    }

    @Override
    public String toString() {
        return id;
    }
}
