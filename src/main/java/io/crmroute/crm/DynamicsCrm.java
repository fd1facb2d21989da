package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Dynamics 365 / Dataverse (type {@code dynamics}): one Web API query,
 * {@code GET {base-url}/api/data/v9.2/{entity set}?$select=..&$filter=field eq '..' or ..&$count=true}
 * with {@code Prefer: odata.maxpagesize=N}, every phone notation an {@code or} term. The token comes
 * from Microsoft Entra ID's client credentials flow for an application user, scope
 * {@code {base-url}/.default}; its {@code expires_in} is honoured and a 401 gets one new token.
 */
final class DynamicsCrm implements CrmConnector {

    static final String DEFAULT_API_VERSION = "v9.2";
    private static final Duration FALLBACK_LIFETIME = Duration.ofMinutes(30);
    private static final Pattern API_VERSION = Pattern.compile("v?(\\d\\.\\d)");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9.-]{1,100}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.]{1,64}");

    private final CrmSpec spec;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens tokens;
    private final String baseUrl;
    private final String apiVersion;
    private final CrmException configProblem; // null when the spec is usable

    DynamicsCrm(CrmSpec spec, CrmContext context) {
        this.spec = spec;
        this.context = context;
        this.http = new CrmHttp(spec, context);
        this.baseUrl = spec.baseUrl().map(CrmCall::withoutTrailingSlash).orElse("");
        Matcher version = API_VERSION.matcher(spec.setting("api-version").orElse(DEFAULT_API_VERSION));
        this.apiVersion = version.matches() ? "v" + version.group(1) : null;
        this.configProblem = problem();
        this.tokens = new AccessTokens(this::fetchToken, context.clock());
    }

    private CrmException problem() {
        if (baseUrl.isEmpty()) return http.failure(CrmException.Kind.CONFIG, "base-url is not set (the environment URL, https://org.crm.dynamics.com)");
        if (apiVersion == null) return http.failure(CrmException.Kind.CONFIG, "api-version must look like v9.2");
        CrmException missing = http.missingAuth("client-id", "client-secret");
        if (missing != null) return missing;
        if (spec.authValue("token-url").isEmpty()) {
            String tenant = spec.authValue("tenant-id").orElse("");
            if (!TENANT.matcher(tenant).matches()) {
                return http.failure(CrmException.Kind.CONFIG, "auth.tenant-id (or auth.token-url) is not set or not a tenant id");
            }
        }
        return null;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        if (configProblem != null) return CompletableFuture.failedFuture(configProblem);
        List<String> values = request.phone().map(phone -> PhoneNumbers.variants(request.value(), phone))
                .orElse(List.of(request.value())).stream().filter(ODataQuery::canMatch).toList();
        if (values.isEmpty()) return CompletableFuture.completedFuture(LookupResult.none());
        URI uri;
        try {
            ODataQuery.requireName("object", request.object());
            uri = URI.create(baseUrl + "/api/data/" + apiVersion + "/" + request.object() + "?"
                    + ODataQuery.queryString(request.field(), request.fields(), values));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, e.getMessage()));
        }
        long start = context.ticker().read();
        return tokens.withToken(token -> {
            CrmCall call = CrmCall.get(uri)
                    .header("Authorization", "Bearer " + token.value())
                    .header("Accept", "application/json")
                    .header("OData-MaxVersion", "4.0")
                    .header("OData-Version", "4.0")
                    .header("Prefer", "odata.maxpagesize=" + request.limit());
            return http.send(call, request.withBudget(request.budget().minus(context.since(start))));
        }).thenApply(response -> read(response, request.limit()));
    }

    private LookupResult read(HttpResponse<String> response, int limit) {
        if (response.statusCode() < 200 || response.statusCode() > 299) throw statusFailure(response);
        JsonNode reply = http.json(response);
        JsonNode value = reply.path("value");
        if (!value.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no value list");
        List<CrmRecord> records = CrmRecords.flattenAll(withoutAnnotations(value), limit);
        JsonNode count = reply.path("@odata.count");
        return new LookupResult(records, count.canConvertToInt() ? count.asInt() : value.size());
    }

    /** The status failure, with Dataverse's error code (never its message, which may echo the filter). */
    private CrmException statusFailure(HttpResponse<String> response) {
        CrmException failure = http.statusFailure(response);
        String code;
        try {
            JsonNode error = CrmHttp.JSON.readTree(response.body() == null ? "" : response.body());
            code = error == null ? "" : error.path("error").path("code").asText("");
        } catch (java.io.IOException e) {
            code = "";
        }
        return ERROR_CODE.matcher(code).matches() ? new CrmException(failure.kind(), failure.getMessage() + ": " + code) : failure;
    }

    /** Drops OData annotations ({@code @odata.etag}, {@code x@OData.Community.Display.V1.FormattedValue}). */
    private static JsonNode withoutAnnotations(JsonNode records) {
        JsonNode copy = records.deepCopy();
        for (JsonNode record : copy) {
            if (!(record instanceof ObjectNode object)) continue;
            List<String> annotations = new ArrayList<>();
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.contains("@")) annotations.add(name);
            }
            object.remove(annotations);
        }
        return copy;
    }

    private CompletableFuture<AccessToken> fetchToken() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", spec.authValue("client-id").orElse(""));
        form.put("client_secret", spec.authValue("client-secret").orElse(""));
        form.put("grant_type", "client_credentials");
        form.put("scope", spec.authValue("scope").orElse(baseUrl + "/.default"));
        URI tokenUrl;
        try {
            tokenUrl = URI.create(spec.authValue("token-url").orElseGet(() ->
                    "https://login.microsoftonline.com/" + spec.authValue("tenant-id").orElse("") + "/oauth2/v2.0/token"));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "auth.token-url is not a URL"));
        }
        // The token outlives the lookup that asked for it, so it gets the CRM's timeout, not that lookup's budget.
        return OAuthTokenRequest.fetch(http, tokenUrl, form, spec.timeout(), context.clock(), FALLBACK_LIFETIME);
    }
}
