package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    private final CrmSpec spec;
    private final CrmHttp http;
    private final String baseUrl;
    private final String authorization; // null when the auth keys are missing
    private final boolean unifiedSearch;
    private final boolean wildcard;

    ZendeskCrm(CrmSpec spec, CrmContext context) {
        this.spec = spec;
        this.http = new CrmHttp(spec, context);
        String base = spec.baseUrl().or(() -> spec.setting("subdomain").map(s -> "https://" + s + ".zendesk.com")).orElse("");
        this.baseUrl = CrmCall.withoutTrailingSlash(base);
        this.authorization = authorization(spec);
        this.unifiedSearch = spec.setting("endpoint").orElse("users").equals("search");
        this.wildcard = spec.setting("phone-wildcard").map(Boolean::parseBoolean).orElse(true);
    }

    private static String authorization(CrmSpec spec) {
        String token = spec.authValue("api-token").orElse("");
        if (token.isEmpty()) return null;
        if (spec.setting("auth-scheme").orElse("basic").equalsIgnoreCase("bearer")) return "Bearer " + token;
        String email = spec.authValue("email").orElse("");
        if (email.isEmpty()) return null;
        return "Basic " + Base64.getEncoder().encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        if (baseUrl.isEmpty()) return failed(CrmException.Kind.CONFIG, "base-url (https://{subdomain}.zendesk.com) is not set");
        if (authorization == null) return failed(CrmException.Kind.CONFIG, "auth needs email and api-token (or api-token with auth-scheme: bearer)");
        if (!ZendeskQuery.isField(request.field())) return failed(CrmException.Kind.CONFIG, "not a Zendesk search field: " + request.field());
        String type = type(request.object());
        if (type == null) return failed(CrmException.Kind.CONFIG, "object must be users, organizations or tickets: " + request.object());
        if (request.value().length() > MAX_VALUE_LENGTH || ZendeskQuery.phrase(request.value()).isEmpty()) {
            return CompletableFuture.completedFuture(LookupResult.none());
        }
        try {
            String term = ZendeskQuery.term(request.field(), request.value(), request.phone(), wildcard);
            boolean usersEndpoint = type.equals("user") && !unifiedSearch;
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("query", usersEndpoint ? term : "type:" + type + ' ' + term);
            parameters.put("per_page", String.valueOf(Math.min(request.limit(), MAX_PER_PAGE)));
            String path = usersEndpoint ? "/api/v2/users/search.json" : "/api/v2/search.json";
            CrmCall call = CrmCall.get(baseUrl + path, parameters).header("Authorization", authorization);
            String list = usersEndpoint ? "users" : "results";
            return http.sendForJson(call, request).thenApply(reply -> read(reply, list, request.limit()));
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
    private LookupResult read(JsonNode reply, String list, int limit) {
        JsonNode found = reply.path(list);
        if (!reply.isObject() || !found.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no " + list + " list");
        var records = CrmRecords.flattenAll(found, limit);
        return new LookupResult(records, reply.path("count").asInt(found.size()));
    }

    private CompletableFuture<LookupResult> failed(CrmException.Kind kind, String detail) {
        return CompletableFuture.failedFuture(http.failure(kind, detail));
    }
}
