package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Zendesk Support (type {@code zendesk}): users by
 * {@code GET {base-url}/api/v2/users/search.json?query=phone:*4155552671&per_page=N}, or with
 * {@code endpoint: search} (and for organizations and tickets) the unified
 * {@code GET /api/v2/search.json?query=type:user phone:*4155552671}. The query is built by
 * {@link ZendeskQuery} and URL-encoded. Auth is an API token, as Basic
 * {@code {email}/token:{api-token}}, or as a Bearer (OAuth access token) with
 * {@code auth-scheme: bearer}; neither expires, so a 401 is an AUTH failure at once.
 */
final class ZendeskCrm implements CrmConnector {

    static final int MAX_PER_PAGE = 100;
    static final int MAX_VALUE_LENGTH = 256;

    static final CrmKey<URI> BASE_URL = CrmKey.optional("base-url", KeyParsers.credentialUrl());
    static final CrmKey<String> SUBDOMAIN = CrmKey.optional("subdomain",
            KeyParsers.matching("[a-z0-9][a-z0-9-]{0,62}", "expected a Zendesk subdomain such as acme (of acme.zendesk.com)"));
    static final CrmKey<String> AUTH_SCHEME = CrmKey.withDefault("auth-scheme", KeyParsers.oneOf("basic", "bearer"), "basic");
    static final CrmKey<String> ENDPOINT = CrmKey.withDefault("endpoint", KeyParsers.oneOf("users", "search"), "users");
    static final CrmKey<Boolean> PHONE_WILDCARD = CrmKey.withDefault("phone-wildcard", KeyParsers.flag(), true);
    static final CrmKey<String> EMAIL = CrmKey.optional("auth.email", KeyParsers.text());
    static final CrmKey<String> API_TOKEN = CrmKey.required("auth.api-token", KeyParsers.text()).secret();

    static final CrmType<Settings> TYPE = CrmType.of("zendesk", Settings.class, Settings::of, ZendeskCrm::new,
            BASE_URL, SUBDOMAIN, AUTH_SCHEME, ENDPOINT, PHONE_WILDCARD, EMAIL, API_TOKEN);

    /**
     * A Zendesk entry, read: {@code baseUrl} is {@code base-url} or {@code https://{subdomain}.zendesk.com};
     * {@code authorization} the header every request carries (Basic needs {@code auth.email}).
     */
    record Settings(String baseUrl, String authorization, boolean unifiedSearch, boolean phoneWildcard) {

        static Settings of(CrmValues values) {
            if (!values.has(BASE_URL) && !values.has(SUBDOMAIN)) values.missing(BASE_URL, "unless subdomain is set");
            String base = values.find(BASE_URL).map(URI::toString)
                    .orElseGet(() -> "https://" + values.find(SUBDOMAIN).orElse("") + ".zendesk.com");
            boolean bearer = values.get(AUTH_SCHEME).equals("bearer");
            if (!bearer && !values.has(EMAIL)) values.missing(EMAIL, "unless auth-scheme is bearer");
            String token = values.get(API_TOKEN);
            String authorization = bearer ? "Bearer " + token : "Basic " + Base64.getEncoder()
                    .encodeToString((values.find(EMAIL).orElse("") + "/token:" + token).getBytes(StandardCharsets.UTF_8));
            return new Settings(CrmCall.withoutTrailingSlash(base), authorization, values.get(ENDPOINT).equals("search"),
                    values.get(PHONE_WILDCARD));
        }
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmHttp http;

    ZendeskCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.settings = settings;
        this.http = new CrmHttp(spec, context);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        if (!ZendeskQuery.isField(request.field())) return failed(CrmException.Kind.CONFIG, "not a Zendesk search field: " + request.field());
        String type = type(request.object());
        if (type == null) return failed(CrmException.Kind.CONFIG, "object must be users, organizations or tickets: " + request.object());
        if (request.value().length() > MAX_VALUE_LENGTH || ZendeskQuery.phrase(request.value()).isEmpty()) {
            return CompletableFuture.completedFuture(LookupResult.none());
        }
        try {
            String term = ZendeskQuery.term(request.field(), request.value(), request.phone(), settings.phoneWildcard());
            boolean usersEndpoint = type.equals("user") && !settings.unifiedSearch();
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("query", usersEndpoint ? term : "type:" + type + ' ' + term);
            parameters.put("per_page", String.valueOf(Math.min(request.limit(), MAX_PER_PAGE)));
            String path = usersEndpoint ? "/api/v2/users/search.json" : "/api/v2/search.json";
            CrmCall call = CrmCall.get(settings.baseUrl() + path, parameters).header("Authorization", settings.authorization());
            String list = usersEndpoint ? "users" : "results";
            return http.sendForJson(call, request).thenApply(reply -> read(reply, list, request.limit(), type));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Zendesk's search type for a route's object: users / user, organizations, tickets. */
    static String type(String object) {
        String singular = object.toLowerCase(Locale.ROOT).replaceAll("s$", "");
        return singular.equals("user") || singular.equals("organization") || singular.equals("ticket") ? singular : null;
    }

    /** {@code {users:[...], count, next_page}} or {@code {results:[...], count, next_page}}. */
    private LookupResult read(JsonNode reply, String list, int limit, String type) {
        JsonNode found = reply.path(list);
        if (!reply.isObject() || !found.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no " + list + " list");
        var records = CrmRecords.flattenAll(found, limit).stream()
                .map(record -> record.linkedBy("id", id -> recordUrl(settings.baseUrl(), type, id)))
                .toList();
        return new LookupResult(records, reply.path("count").asInt(found.size()));
    }

    /** {@code {base}/agent/users/{id}} ({@code /agent/organizations/}, {@code /agent/tickets/}): the Agent Workspace page. */
    static Optional<String> recordUrl(String baseUrl, String type, String id) {
        return Optional.of(baseUrl + "/agent/" + type + "s/" + RecordPages.encode(id));
    }

    private CompletableFuture<LookupResult> failed(CrmException.Kind kind, String detail) {
        return CompletableFuture.failedFuture(http.failure(kind, detail));
    }
}
