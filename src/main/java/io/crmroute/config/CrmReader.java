package io.crmroute.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.CacheSpec;
import io.crmroute.crm.CrmKey;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.CrmType;
import io.crmroute.crm.CrmTypes;
import io.crmroute.crm.KeyProblems;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.crmhttp.EndpointSettings;
import io.crmroute.crmhttp.ProxyAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one entry under {@code crms:} into a {@link CrmSpec}: the keys every type takes here, the
 * type's own keys (directly in the entry and under {@code auth:}) by the type's declaration in
 * {@link CrmTypes}, which parses each into its typed value. Nothing here knows one vendor from another.
 * A cache's {@code negative-ttl} defaults to a quarter of its {@code ttl}: "no record" answers go
 * stale sooner, since a record just created in the CRM should start matching soon.
 */
final class CrmReader {

    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    /** Keys every type takes; {@code allow-insecure: true} lets the entry's URLs be http://. */
    static final Set<String> COMMON = Set.of("type", "timeout", "rate-limit", "cache", "phone", "allow-insecure",
            "ca-file", "proxy", "max-connections");
    /** Beyond this a CRM host's pool is no bound at all; the FastAGI server takes 20,000 calls at most. */
    static final int MAX_CONNECTIONS = 100_000;

    private static final String AUTH = "auth";
    private static final String HEADERS = "headers";
    /** Beyond this the rate limiter cannot express its period; no CRM comes near it. */
    static final double MAX_RATE_LIMIT = 1_000_000;
    private static final Duration MAX_CACHE_TTL = Duration.ofDays(1);
    private static final Set<String> CACHE_KEYS = Set.of("ttl", "negative-ttl");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Pattern HEADER_VALUE = Pattern.compile("[^\\p{Cntrl}]{0,4096}");
    private static final String TYPES = CrmTypes.all().stream().map(CrmType::id).collect(Collectors.joining(", "));

    private CrmReader() {}

    /** The type an entry names, when it names a known one (to tell routes what kind of CRM they point at). */
    static Optional<CrmType<?>> type(JsonNode node) {
        JsonNode type = node == null ? null : node.get("type");
        return type != null && type.isValueNode() ? CrmTypes.byId(type.asText()) : Optional.empty();
    }

    static Optional<CrmSpec> read(String name, Section crm, Path configDir, Set<String> secrets) {
        if (!Names.NAME.matcher(name).matches()) crm.problemHere("CRM name \"" + Names.shown(name) + "\": " + Names.NAME_EXPECTED);
        Optional<CrmType<?>> known = crm.requiredText("type").flatMap(id -> {
            Optional<CrmType<?>> type = CrmTypes.byId(id);
            if (type.isEmpty()) crm.problem("type", "unknown type \"" + Names.shown(id) + "\" (expected one of " + TYPES + ")");
            return type;
        });
        if (known.isEmpty()) return Optional.empty();
        CrmType<?> type = known.get();
        crm.onlyKeys(allowed(type));

        boolean allowInsecure = crm.bool("allow-insecure").orElse(false);
        Duration timeout = crm.duration("timeout", MAX_TIMEOUT).orElse(CrmSpec.DEFAULT_TIMEOUT);
        OptionalDouble rateLimit = crm.positiveNumber("rate-limit").flatMap(rate -> {
            if (rate <= MAX_RATE_LIMIT) return Optional.of(rate);
            crm.problem("rate-limit", "\"" + rate + "\": at most " + (long) MAX_RATE_LIMIT + " requests per second");
            return Optional.empty();
        }).map(OptionalDouble::of).orElse(OptionalDouble.empty());
        Optional<CacheSpec> cache = crm.section("cache").flatMap(CrmReader::cache);
        Optional<PhoneMatching> phone = PhoneSettings.read(crm, "phone");
        Map<String, String> headers = type.takesHeaders() ? headers(crm) : Map.of();
        Optional<?> settings = type.read(texts(crm, type), new CrmKey.Context(configDir, allowInsecure), problemsAt(crm));
        EndpointSettings endpoint = endpoint(crm, configDir);
        return settings.map(read -> new CrmSpec(name, type, read, timeout, rateLimit, cache, phone, headers, allowInsecure, secrets,
                endpoint));
    }

    /** Every key an entry of {@code type} may have. */
    static Set<String> allowed(CrmType<?> type) {
        Set<String> allowed = new LinkedHashSet<>(COMMON);
        allowed.addAll(type.entryKeys());
        if (!type.authKeys().isEmpty()) allowed.add(AUTH);
        if (type.takesHeaders()) allowed.add(HEADERS);
        return allowed;
    }

    /** The text of each of the type's keys written in the entry, by key path ({@code api-version}, {@code auth.client-id}). */
    private static Map<String, String> texts(Section crm, CrmType<?> type) {
        Map<String, String> texts = new HashMap<>();
        for (String key : type.entryKeys()) crm.text(key).ifPresent(text -> texts.put(key, text));
        if (!type.authKeys().isEmpty()) {
            crm.section(AUTH).ifPresent(auth -> {
                auth.onlyKeys(type.authKeys());
                for (String key : type.authKeys()) auth.text(key).ifPresent(text -> texts.put(AUTH + "." + key, text));
            });
        }
        return texts;
    }

    /** The type's problems, as config problems at their key paths under the entry. */
    private static KeyProblems problemsAt(Section crm) {
        return new KeyProblems() {
            @Override
            public void invalid(String key, String text, String expected) {
                crm.problem(key, "\"" + Names.shown(text) + "\": " + expected);
            }

            @Override
            public void problem(String key, String message) {
                crm.problem(key, message);
            }
        };
    }

    /** {@code ca-file} (PEM, relative to the config's folder), {@code proxy} and {@code max-connections}. */
    private static EndpointSettings endpoint(Section crm, Path configDir) {
        EndpointSettings endpoint = EndpointSettings.DEFAULT;
        Optional<String> caText = crm.text("ca-file");
        if (caText.isPresent()) {
            Path caFile = configDir.resolve(caText.get()).toAbsolutePath().normalize();
            Optional<String> problem = certificateProblem(caFile);
            if (problem.isPresent()) crm.problem("ca-file", "\"" + Names.shown(caText.get()) + "\": " + problem.get());
            else endpoint = endpoint.withCaFile(caFile);
        }
        Optional<String> proxy = crm.text("proxy");
        if (proxy.isPresent()) {
            try {
                endpoint = endpoint.withProxy(ProxyAddress.parse(proxy.get()));
            } catch (IllegalArgumentException e) {
                crm.problem("proxy", ProxyAddress.EXPECTED);
            }
        }
        Optional<Integer> max = crm.integer("max-connections", 1, MAX_CONNECTIONS);
        return max.isPresent() ? endpoint.withMaxConnections(max.get()) : endpoint;
    }

    /** Why {@code file} is no PEM file of CA certificates, if it is not: told at load, not by the first call. */
    private static Optional<String> certificateProblem(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            boolean any = !java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty();
            return any ? Optional.empty() : Optional.of("no certificate in it (expected PEM)");
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.of("no such file (looked for " + file + ")");
        } catch (java.io.IOException e) {
            return Optional.of("cannot be read (" + file + ")");
        } catch (java.security.cert.CertificateException e) {
            return Optional.of("not a file of PEM certificates");
        }
    }

    private static Optional<CacheSpec> cache(Section cache) {
        cache.onlyKeys(CACHE_KEYS);
        if (!cache.has("ttl")) cache.problem("ttl", "missing (required: how long a found record is kept)");
        Optional<Duration> ttl = cache.duration("ttl", MAX_CACHE_TTL);
        Optional<Duration> negative = cache.duration("negative-ttl", MAX_CACHE_TTL);
        return ttl.map(found -> new CacheSpec(found, negative.orElseGet(() -> defaultNegativeTtl(found))));
    }

    private static Duration defaultNegativeTtl(Duration ttl) {
        Duration quarter = ttl.dividedBy(4);
        return quarter.isZero() ? Duration.ofMillis(1) : quarter;
    }

    private static Map<String, String> headers(Section crm) {
        return crm.section(HEADERS).map(section -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : section.keys()) {
                if (!HEADER_NAME.matcher(name).matches()) {
                    section.problem(name, "not a valid HTTP header name");
                    continue;
                }
                section.text(name, HEADER_VALUE, "expected one line of text (at most 4096 characters)").ifPresent(value -> {
                    // java.net.http refuses some names (Host, Connection, Content-Length, Expect, Upgrade) at send
                    // time: a call must never be the first to find out.
                    try {
                        java.net.http.HttpRequest.newBuilder().header(name, value);
                        headers.put(name, value);
                    } catch (IllegalArgumentException refused) {
                        section.problem(name, "a header the HTTP client sets itself or refuses; leave it out");
                    }
                });
            }
            return headers;
        }).orElse(Map.of());
    }
}
