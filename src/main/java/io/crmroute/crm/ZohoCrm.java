package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Zoho CRM (type {@code zoho}): one COQL query,
 * {@code POST {api_domain}/crm/v7/coql {"select_query": "select ... from Module where Field in (...) limit n"}}.
 * COQL rather than the search API because its {@code in} is an exact match on every phone notation
 * at once, it returns just the fields asked for, and the search API's {@code criteria} "equals"
 * behaves like "contains". The token comes from the refresh-token grant at the account's data
 * centre ({@code auth.region}); the {@code api_domain} of its reply is where queries go.
 */
final class ZohoCrm implements CrmConnector {

    static final String DEFAULT_API_VERSION = "v7";
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    private static final Pattern API_VERSION = Pattern.compile("v\\d{1,2}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Z_]{1,64}");
    /** The accounts server of each data centre. */
    static final Map<String, String> ACCOUNTS = Map.of(
            "us", "https://accounts.zoho.com",
            "eu", "https://accounts.zoho.eu",
            "in", "https://accounts.zoho.in",
            "au", "https://accounts.zoho.com.au",
            "jp", "https://accounts.zoho.jp",
            "ca", "https://accounts.zohocloud.ca",
            "cn", "https://accounts.zoho.com.cn",
            "sa", "https://accounts.zoho.sa");

    private final CrmSpec spec;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens tokens;
    private final Optional<String> baseUrl;
    private final String apiVersion;
    private final String tokenUrl;
    private final CrmException configProblem; // null when the spec is usable

    ZohoCrm(CrmSpec spec, CrmContext context) {
        this.spec = spec;
        this.context = context;
        this.http = new CrmHttp(spec, context);
        this.baseUrl = spec.baseUrl().map(CrmCall::withoutTrailingSlash);
        this.apiVersion = spec.setting("api-version").orElse(DEFAULT_API_VERSION);
        String accounts = ACCOUNTS.get(spec.authValue("region").orElse("us").toLowerCase(Locale.ROOT));
        this.tokenUrl = spec.authValue("token-url").orElse(accounts == null ? null : accounts + "/oauth/v2/token");
        this.configProblem = problem();
        this.tokens = new AccessTokens(this::fetchToken, context.clock());
    }

    private CrmException problem() {
        if (!API_VERSION.matcher(apiVersion).matches()) return http.failure(CrmException.Kind.CONFIG, "api-version must look like v7");
        if (tokenUrl == null) {
            return http.failure(CrmException.Kind.CONFIG, "auth.region must be one of " + String.join(", ", new java.util.TreeSet<>(ACCOUNTS.keySet())));
        }
        return http.missingAuth("client-id", "client-secret", "refresh-token");
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        if (configProblem != null) return CompletableFuture.failedFuture(configProblem);
        List<String> values = request.phone().map(phone -> PhoneNumbers.variants(request.value(), phone))
                .orElse(List.of(request.value())).stream().filter(CoqlQuery::canMatch).toList();
        if (values.isEmpty()) return CompletableFuture.completedFuture(LookupResult.none());
        Map<String, String> body;
        try {
            body = Map.of("select_query", CoqlQuery.select(request.object(), request.field(), request.fields(), values, request.limit()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, e.getMessage()));
        }
        long start = context.ticker().read();
        return tokens.withToken(token -> {
            Optional<String> api = baseUrl.or(() -> token.extra("api_domain").map(CrmCall::withoutTrailingSlash));
            if (api.isEmpty()) return CompletableFuture.failedFuture(http.failure(CrmException.Kind.BAD_RESPONSE, "token reply has no api_domain"));
            CrmCall call;
            try {
                call = CrmCall.postJson(URI.create(api.get() + "/crm/" + apiVersion + "/coql"), body)
                        .header("Authorization", "Zoho-oauthtoken " + token.value())
                        .header("Accept", "application/json");
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(http.failure(CrmException.Kind.BAD_RESPONSE, "api_domain is not a URL"));
            }
            return http.send(call, request.withBudget(request.budget().minus(context.since(start))));
        }, ZohoCrm::invalidToken).thenApply(response -> read(response, request.limit()));
    }

    /** An expired or revoked token; other 401s (a scope mismatch) would not be cured by a new one. */
    private static boolean invalidToken(HttpResponse<String> response) {
        if (response.statusCode() != 401) return false;
        String code = errorCode(response);
        return code.isEmpty() || code.equals("INVALID_TOKEN") || code.equals("AUTHENTICATION_FAILURE");
    }

    private LookupResult read(HttpResponse<String> response, int limit) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            CrmException failure = http.statusFailure(response);
            String code = errorCode(response);
            throw code.isEmpty() ? failure : new CrmException(failure.kind(), failure.getMessage() + ": " + code);
        }
        if (status == 204) return LookupResult.none(); // Zoho's "no record matched"
        JsonNode reply = http.json(response);
        if (reply.isMissingNode()) return LookupResult.none();
        JsonNode data = reply.path("data");
        if (!data.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no data list");
        // COQL's info.count is the size of this page, not a total: Zoho does not say how many match.
        return LookupResult.of(CrmRecords.flattenAll(data, limit));
    }

    /** Zoho errors are {@code {"code": "INVALID_QUERY", "details": {...}, "message": "...", "status": "error"}}. */
    static String errorCode(HttpResponse<String> response) {
        try {
            JsonNode error = CrmHttp.JSON.readTree(response.body() == null ? "" : response.body());
            String code = error == null ? "" : error.path("code").asText("");
            return ERROR_CODE.matcher(code).matches() ? code : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private CompletableFuture<AccessToken> fetchToken() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", spec.authValue("client-id").orElse(""));
        form.put("client_secret", spec.authValue("client-secret").orElse(""));
        form.put("refresh_token", spec.authValue("refresh-token").orElse(""));
        URI uri;
        try {
            uri = URI.create(tokenUrl);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "auth.token-url is not a URL"));
        }
        // The token outlives the lookup that asked for it, so it gets the CRM's timeout, not that lookup's budget.
        return OAuthTokenRequest.fetch(http, uri, form, spec.timeout(), context.clock(), DEFAULT_LIFETIME);
    }
}
