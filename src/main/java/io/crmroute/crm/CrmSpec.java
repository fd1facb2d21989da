package io.crmroute.crm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One entry under {@code crms:}, validated and with {@code ${ENV}} already substituted.
 * {@code settings} holds the type's own scalar keys (for example {@code path}, {@code url},
 * {@code method}, {@code value-pointer}, {@code allow-insecure}, {@code api-version});
 * {@code auth} the keys under {@code auth:}; {@code secrets} every value that came from the
 * environment, to be masked wherever text is shown.
 */
public record CrmSpec(
        String name,
        CrmType type,
        Optional<String> baseUrl,
        Map<String, String> auth,
        Duration timeout,
        OptionalDouble rateLimit,
        Optional<CacheSpec> cache,
        Optional<PhoneMatching> phone,
        Map<String, String> settings,
        Map<String, String> headers,
        Set<String> secrets,
        Path configDir) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public CrmSpec {
        auth = Map.copyOf(auth);
        settings = Map.copyOf(settings);
        headers = Map.copyOf(headers);
        secrets = Set.copyOf(secrets);
    }

    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    public Optional<String> authValue(String key) {
        return Optional.ofNullable(auth.get(key));
    }

    /** {@code text} with every secret, as it is and URL-encoded, replaced by {@code ****}. */
    public String mask(String text) {
        return Secrets.mask(text, secrets);
    }
}
