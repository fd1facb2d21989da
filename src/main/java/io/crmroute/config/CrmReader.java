package io.crmroute.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.CacheSpec;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.CrmType;
import io.crmroute.crm.PhoneMatching;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one entry under {@code crms:} into a {@link CrmSpec}. Which keys a type takes is
 * {@link CrmKeys}' business; what a key's value must look like is decided here.
 * A cache's {@code negative-ttl} defaults to a quarter of its {@code ttl}: "no record" answers go
 * stale sooner, since a record just created in the CRM should start matching soon.
 */
final class CrmReader {

    static final String DEFAULT_METHOD = "GET";
    static final String DEFAULT_VALUE_POINTER = "/value";
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration MAX_CACHE_TTL = Duration.ofDays(1);
    private static final Set<String> CACHE_KEYS = Set.of("ttl", "negative-ttl");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Pattern HEADER_VALUE = Pattern.compile("[^\\p{Cntrl}]{0,4096}");
    private static final String TYPES = Arrays.stream(CrmType.values()).map(CrmType::id).collect(Collectors.joining(", "));

    private CrmReader() {}

    /** The type an entry names, when it names a known one (to tell routes what kind of CRM they point at). */
    static Optional<CrmType> type(JsonNode node) {
        JsonNode type = node == null ? null : node.get("type");
        return type != null && type.isValueNode() ? CrmType.byId(type.asText()) : Optional.empty();
    }

    static Optional<CrmSpec> read(String name, Section crm, Path configDir, Set<String> secrets) {
        if (!Names.NAME.matcher(name).matches()) crm.problemHere("CRM name \"" + Names.shown(name) + "\": " + Names.NAME_EXPECTED);
        Optional<CrmType> type = crm.requiredText("type").flatMap(id -> {
            Optional<CrmType> known = CrmType.byId(id);
            if (known.isEmpty()) crm.problem("type", "unknown type \"" + Names.shown(id) + "\" (expected one of " + TYPES + ")");
            return known;
        });
        if (type.isEmpty()) return Optional.empty();
        CrmKeys.TypeKeys keys = CrmKeys.of(type.get());
        crm.onlyKeys(CrmKeys.allowed(type.get()));

        Optional<String> baseUrl = url(crm, "base-url");
        if (keys.needsBaseUrl() && !crm.has("base-url")) {
            crm.problem("base-url", "missing (required for " + type.get().id() + ": the URL of your instance)");
        }
        Map<String, String> auth = crm.section("auth").map(section -> {
            section.onlyKeys(CrmKeys.AUTH);
            return section.entries();
        }).orElse(Map.of());
        for (String required : keys.requiredAuth()) {
            if (!auth.containsKey(required)) crm.problem("auth." + required, "missing (required for " + type.get().id() + ")");
        }
        Duration timeout = crm.duration("timeout", MAX_TIMEOUT).orElse(CrmSpec.DEFAULT_TIMEOUT);
        OptionalDouble rateLimit = crm.positiveNumber("rate-limit").map(OptionalDouble::of).orElse(OptionalDouble.empty());
        Optional<CacheSpec> cache = crm.section("cache").flatMap(CrmReader::cache);
        Optional<PhoneMatching> phone = PhoneSettings.read(crm, "phone");

        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : keys.settings()) crm.text(key).ifPresent(value -> settings.put(key, value));
        for (String key : keys.required()) if (!crm.has(key)) crm.problem(key, "missing (required for " + type.get().id() + ")");
        for (String key : keys.settings()) if (key.endsWith("-url")) url(crm, key);
        Map<String, String> headers = Map.of();
        if (type.get() == CrmType.FILE) file(crm, configDir, settings);
        if (type.get() == CrmType.HTTP) {
            http(crm, settings);
            headers = headers(crm);
        }
        return Optional.of(new CrmSpec(name, type.get(), baseUrl, auth, timeout, rateLimit, cache, phone, settings, headers,
                secrets, configDir));
    }

    /**
     * A spec that only says "this CRM exists, of this type", for an entry that had problems of its own,
     * so its routes are not also told the CRM is undefined.
     */
    static CrmSpec standIn(String name, CrmType type, Path configDir) {
        return new CrmSpec(name, type, Optional.empty(), Map.of(), CrmSpec.DEFAULT_TIMEOUT, OptionalDouble.empty(),
                Optional.empty(), Optional.empty(), Map.of(), Map.of(), Set.of(), configDir);
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

    private static Optional<String> url(Section crm, String key) {
        return crm.text(key).filter(text -> {
            if (isHttpUrl(text)) return true;
            crm.problem(key, "\"" + Names.shown(text) + "\": expected an absolute http:// or https:// URL");
            return false;
        });
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException notAUri) {
            return false;
        }
    }

    private static void file(Section crm, Path configDir, Map<String, String> settings) {
        String path = settings.get("path");
        if (path == null) return;
        Path resolved = configDir.resolve(path).toAbsolutePath().normalize();
        // The connector opens the resolved file, wherever crmroute was started from.
        settings.put("path", resolved.toString());
        FileCrmData.check(resolved).ifPresent(problem -> crm.problem("path", "\"" + Names.shown(path) + "\": " + problem));
    }

    private static void http(Section crm, Map<String, String> settings) {
        String url = settings.get("url");
        boolean insecure = crm.bool("allow-insecure").orElse(false);
        if (url != null) {
            if (!isHttpUrl(url)) crm.problem("url", "\"" + Names.shown(url) + "\": expected an absolute https:// URL");
            else if (!insecure && !url.regionMatches(true, 0, "https:", 0, 6)) {
                crm.problem("url", "https required (set allow-insecure: true to allow http)");
            }
        }
        settings.put("allow-insecure", Boolean.toString(insecure));
        String method = settings.getOrDefault("method", DEFAULT_METHOD);
        if (!method.equals("GET") && !method.equals("POST")) crm.problem("method", "\"" + Names.shown(method) + "\": expected GET or POST");
        settings.put("method", method);
        String pointer = settings.getOrDefault("value-pointer", DEFAULT_VALUE_POINTER);
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            crm.problem("value-pointer", "\"" + Names.shown(pointer) + "\": expected a JSON Pointer such as /value or /data/0/queue (or \"\" for the whole reply)");
        }
        settings.put("value-pointer", pointer);
    }

    private static Map<String, String> headers(Section crm) {
        return crm.section(CrmKeys.HEADERS).map(section -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : section.keys()) {
                if (!HEADER_NAME.matcher(name).matches()) {
                    section.problem(name, "not a valid HTTP header name");
                    continue;
                }
                section.text(name, HEADER_VALUE, "expected one line of text (at most 4096 characters)").ifPresent(value -> headers.put(name, value));
            }
            return headers;
        }).orElse(Map.of());
    }
}
