package io.crmroute.crm;

import io.crmroute.crmhttp.EndpointSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One entry under {@code crms:}, validated and with {@code ${ENV}} already substituted: the keys
 * every type takes, and {@code settings}, the typed settings of its {@code type} (each connector's
 * {@code Settings} record, read by {@link CrmType#read}). {@code secrets} holds every value that
 * came from the environment, to be masked wherever text is shown. {@code allowInsecure} is the
 * entry's {@code allow-insecure}, which let its URLs be http://. {@code endpoint} is how its hosts are
 * reached: {@code ca-file}, {@code proxy}, {@code max-connections}.
 */
public record CrmSpec(
        String name,
        CrmType<?> type,
        Object settings,
        Duration timeout,
        OptionalDouble rateLimit,
        Optional<CacheSpec> cache,
        Optional<PhoneMatching> phone,
        Map<String, String> headers,
        boolean allowInsecure,
        Set<String> secrets,
        EndpointSettings endpoint) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The settings of a stand-in, which has none. */
    private static final Object NOT_READ = new Object();

    public CrmSpec {
        if (settings != NOT_READ && !type.accepts(settings)) {
            throw new IllegalArgumentException("crm " + name + ": settings of another type than " + type.id());
        }
        headers = Map.copyOf(headers);
        secrets = Set.copyOf(secrets);
        java.util.Objects.requireNonNull(endpoint, "endpoint");
    }

    /** An entry reached directly, with the JDK's trust store (no {@code ca-file}, {@code proxy} or {@code max-connections}). */
    public CrmSpec(String name, CrmType<?> type, Object settings, Duration timeout, OptionalDouble rateLimit, Optional<CacheSpec> cache,
                   Optional<PhoneMatching> phone, Map<String, String> headers, boolean allowInsecure, Set<String> secrets) {
        this(name, type, settings, timeout, rateLimit, cache, phone, headers, allowInsecure, secrets, EndpointSettings.DEFAULT);
    }

    /** An entry of {@code type} with {@code settings} and every other key at its default. */
    public static CrmSpec of(String name, CrmType<?> type, Object settings) {
        return new CrmSpec(name, type, settings, DEFAULT_TIMEOUT, OptionalDouble.empty(), Optional.empty(), Optional.empty(),
                Map.of(), false, Set.of());
    }

    /**
     * A spec that only says "this CRM exists, of this type", for an entry that had problems of its
     * own (so its routes are not also told the CRM is undefined); it has no connector.
     */
    public static CrmSpec standIn(String name, CrmType<?> type) {
        return of(name, type, NOT_READ);
    }

    /** {@code text} with every secret, as it is and URL-encoded, replaced by {@code ****}. */
    public String mask(String text) {
        return Secrets.mask(text, secrets);
    }

    /** Names the CRM only: its settings hold credentials. */
    @Override
    public String toString() {
        return "CrmSpec[" + name + ", type " + type.id() + "]";
    }
}
