package io.crmroute.config;

import io.crmroute.crm.CrmType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which keys each CRM type takes: THE one table to extend when a connector needs a new setting.
 * {@code settings} are the type's own scalar keys (they land in {@code CrmSpec.settings}),
 * {@code required} those of them it cannot work without, {@code requiredAuth} the {@code auth:} keys it
 * needs, {@code remote} whether {@code base-url} and {@code auth:} apply, {@code needsBaseUrl} whether
 * the vendor has no public API root to default to (self-hosted or per-tenant instances).
 */
final class CrmKeys {

    record TypeKeys(Set<String> settings, Set<String> required, Set<String> requiredAuth, boolean remote, boolean needsBaseUrl) {}

    /** Keys every type takes. */
    static final Set<String> COMMON = Set.of("type", "timeout", "rate-limit", "cache", "phone");

    /** Keys under {@code auth:}, whatever the vendor's scheme. */
    static final Set<String> AUTH = Set.of("client-id", "client-secret", "refresh-token", "token-url", "api-token",
            "username", "password", "access-key", "region", "tenant-id", "email", "scope");

    /** {@code http} keys that are not scalar settings. */
    static final String HEADERS = "headers";

    private static final Map<CrmType, TypeKeys> BY_TYPE = new EnumMap<>(CrmType.class);

    static {
        BY_TYPE.put(CrmType.FILE, local(Set.of("path"), Set.of("path")));
        BY_TYPE.put(CrmType.HTTP, local(Set.of("url", "method", "value-pointer", "allow-insecure"), Set.of("url")));
        // What each connector reads (see docs/crms/<type>.md); conditional keys (Dynamics' tenant-id unless
        // token-url is given, Zendesk's email unless auth-scheme is bearer) are checked by the connector.
        BY_TYPE.put(CrmType.SALESFORCE, vendor(true, List.of("client-id", "client-secret"), "api-version", "token-lifetime"));
        BY_TYPE.put(CrmType.HUBSPOT, vendor(false, List.of("api-token")));
        BY_TYPE.put(CrmType.DYNAMICS, vendor(true, List.of("client-id", "client-secret"), "api-version"));
        BY_TYPE.put(CrmType.PIPEDRIVE, vendor(false, List.of("api-token"), "exact-match"));
        BY_TYPE.put(CrmType.ZENDESK, vendor(false, List.of("api-token"), "subdomain", "auth-scheme", "endpoint", "phone-wildcard"));
        BY_TYPE.put(CrmType.ZOHO, vendor(false, List.of("client-id", "client-secret", "refresh-token"), "api-version"));
        BY_TYPE.put(CrmType.SUGARCRM, vendor(true, List.of("username", "password"), "api-version", "platform"));
        BY_TYPE.put(CrmType.SUITECRM, vendor(true, List.of("client-id", "client-secret")));
        BY_TYPE.put(CrmType.VTIGER, vendor(true, List.of("username", "access-key"), "session-lifetime"));
        BY_TYPE.put(CrmType.BULLHORN, vendor(false, List.of("client-id", "client-secret", "refresh-token"), "login-url", "session-ttl"));
    }

    private CrmKeys() {}

    static TypeKeys of(CrmType type) {
        return BY_TYPE.get(type);
    }

    /** Every key an entry of {@code type} may have. */
    static Set<String> allowed(CrmType type) {
        TypeKeys keys = of(type);
        Set<String> allowed = new LinkedHashSet<>(COMMON);
        allowed.addAll(keys.settings());
        if (keys.remote()) {
            allowed.add("base-url");
            allowed.add("auth");
        }
        if (type == CrmType.HTTP) allowed.add(HEADERS);
        return allowed;
    }

    private static TypeKeys local(Set<String> settings, Set<String> required) {
        return new TypeKeys(settings, required, Set.of(), false, false);
    }

    /** {@code requiredAuth} keeps its order, so problems about missing keys come in the same order every run. */
    private static TypeKeys vendor(boolean needsBaseUrl, List<String> requiredAuth, String... settings) {
        return new TypeKeys(Set.of(settings), Set.of(), Collections.unmodifiableSet(new LinkedHashSet<>(requiredAuth)), true, needsBaseUrl);
    }
}
