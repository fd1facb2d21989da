package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
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
    /** The web UI of each data centre. */
    static final Map<String, String> WEB_UI = Map.of(
            "us", "https://crm.zoho.com",
            "eu", "https://crm.zoho.eu",
            "in", "https://crm.zoho.in",
            "au", "https://crm.zoho.com.au",
            "jp", "https://crm.zoho.jp",
            "ca", "https://crm.zohocloud.ca",
            "cn", "https://crm.zoho.com.cn",
            "sa", "https://crm.zoho.sa");

    static final CrmKey<URI> BASE_URL = CrmKey.optional("base-url", KeyParsers.credentialUrl());
    static final CrmKey<String> API_VERSION = CrmKey.withDefault("api-version", KeyParsers.matching("v\\d{1,2}", "expected vN such as v7"),
            DEFAULT_API_VERSION);
    static final CrmKey<String> CLIENT_ID = CrmKey.required("auth.client-id", KeyParsers.text());
    static final CrmKey<String> CLIENT_SECRET = CrmKey.required("auth.client-secret", KeyParsers.text()).secret();
    static final CrmKey<String> REFRESH_TOKEN = CrmKey.required("auth.refresh-token", KeyParsers.text()).secret();
    static final CrmKey<String> REGION = CrmKey.withDefault("auth.region",
            KeyParsers.oneOf(new TreeSet<>(ACCOUNTS.keySet()).toArray(String[]::new)), "us");
    static final CrmKey<URI> TOKEN_URL = CrmKey.optional("auth.token-url", KeyParsers.credentialUrl());
    static final CrmKey<String> ORG_ID = CrmKey.optional("org-id",
            KeyParsers.matching("[0-9]{1,20}", "expected the organisation id, digits"));
    static final CrmKey<String> UI_URL = CrmKey.optional("ui-url", RecordPages.uiUrl());

    static final CrmType<Settings> TYPE = CrmType.of("zoho", Settings.class, Settings::of, ZohoCrm::new,
            BASE_URL, API_VERSION, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, REGION, TOKEN_URL, ORG_ID, UI_URL);

    /** Modules whose web UI tab has another name than their API name. */
    private static final Map<String, String> TABS = Map.of("Deals", "Potentials");

    /**
     * A Zoho entry, read: without {@code base-url}, queries go to the token reply's {@code api_domain};
     * {@code tokenUrl} defaults to the accounts server of {@code auth.region}.
     */
    record Settings(Optional<String> baseUrl, String apiVersion, String clientId, String clientSecret, String refreshToken, URI tokenUrl,
                    Optional<String> orgId, String uiUrl) {

        static Settings of(CrmValues values) {
            URI tokenUrl = values.find(TOKEN_URL).orElseGet(() -> URI.create(ACCOUNTS.get(values.get(REGION)) + "/oauth/v2/token"));
            return new Settings(values.find(BASE_URL).map(uri -> CrmCall.withoutTrailingSlash(uri.toString())), values.get(API_VERSION),
                    values.get(CLIENT_ID), values.get(CLIENT_SECRET), values.get(REFRESH_TOKEN), tokenUrl,
                    values.find(ORG_ID), values.find(UI_URL).orElseGet(() -> WEB_UI.get(values.get(REGION))));
        }
    }

    /**
     * {@code {ui}/crm/org{orgId}/tab/{Tab}/{id}}, when {@code org-id} is configured (the lookup does
     * not tell it); the tab is the module's API name except Deals, whose tab is Potentials.
     */
    static Optional<String> recordUrl(Settings settings, String module, String id) {
        String tab = TABS.getOrDefault(module, module);
        return settings.orgId()
                .map(org -> settings.uiUrl() + "/crm/org" + org + "/tab/" + CrmCall.encode(tab) + "/" + CrmCall.encode(id));
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens tokens;

    ZohoCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.settings = settings;
        this.context = context;
        this.http = new CrmHttp(spec, context);
        this.tokens = AccessTokens.shared(spec.name(), this::fetchToken, context);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return metadata("/settings/modules", null).thenApply(reply -> ZohoSchema.objects(reply, http));
    }

    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        if (!ZohoSchema.MODULE.matcher(object).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a module name: " + object));
        }
        return metadata("/settings/fields?module=" + object, object).thenApply(reply -> ZohoSchema.fields(reply, http));
    }

    /** A GET under {@code /crm/{version}} within the CRM's timeout; Zoho's 400 about {@code object} names it. */
    private CompletableFuture<JsonNode> metadata(String path, String object) {
        long start = context.ticker().read();
        return withToken(root -> CrmCall.get(URI.create(root + path)),
                call -> http.send(call, spec.timeout().minus(context.since(start)), LookupRequest.NO_TRACE)).thenApply(response -> {
            int status = response.statusCode();
            String code = status < 200 || status > 299 ? errorCode(response) : "";
            // An unknown module is 400 INVALID_MODULE (INVALID_DATA in some versions).
            if (status == 400 && object != null && (code.equals("INVALID_MODULE") || code.equals("INVALID_DATA"))) {
                throw http.failure(CrmException.Kind.CONFIG, "no module " + object + " the CRM user can use");
            }
            if (status < 200 || status > 299) {
                CrmException failure = http.statusFailure(response);
                throw code.isEmpty() ? failure : failure.withMessage(failure.getMessage() + ": " + code);
            }
            return http.json(response);
        });
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
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
        return withToken(root -> CrmCall.postJson(URI.create(root + "/coql"), body),
                call -> http.send(call, request.withBudget(request.budget().minus(context.since(start)))))
                .thenApply(response -> read(response, request.limit(), request.object()));
    }

    /**
     * Sends the call {@code make} builds on the API root ({@code {base-url or the token's api_domain}/crm/{version}})
     * with the token as {@code Authorization: Zoho-oauthtoken}; a stale token is replaced and the call sent once more.
     */
    private CompletableFuture<HttpResponse<String>> withToken(java.util.function.Function<String, CrmCall> make,
            java.util.function.Function<CrmCall, CompletableFuture<HttpResponse<String>>> send) {
        return tokens.withToken(token -> {
            Optional<String> api = settings.baseUrl().or(() -> token.extra("api_domain").map(CrmCall::withoutTrailingSlash));
            if (api.isEmpty()) return CompletableFuture.failedFuture(http.failure(CrmException.Kind.BAD_RESPONSE, "token reply has no api_domain"));
            CrmCall call;
            try {
                call = make.apply(api.get() + "/crm/" + settings.apiVersion())
                        .header("Authorization", "Zoho-oauthtoken " + token.value())
                        .header("Accept", "application/json");
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(http.failure(CrmException.Kind.BAD_RESPONSE, "api_domain is not a URL"));
            }
            return send.apply(call);
        }, ZohoCrm::invalidToken);
    }

    /** An expired or revoked token; other 401s (a scope mismatch) would not be cured by a new one. */
    private static boolean invalidToken(HttpResponse<String> response) {
        if (response.statusCode() != 401) return false;
        String code = errorCode(response);
        return code.isEmpty() || code.equals("INVALID_TOKEN") || code.equals("AUTHENTICATION_FAILURE");
    }

    private LookupResult read(HttpResponse<String> response, int limit, String module) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            CrmException failure = http.statusFailure(response);
            String code = errorCode(response);
            throw code.isEmpty() ? failure : failure.withMessage(failure.getMessage() + ": " + code);
        }
        if (status == 204) return LookupResult.none(); // Zoho's "no record matched"
        JsonNode reply = http.json(response);
        if (reply.isMissingNode()) return LookupResult.none();
        JsonNode data = reply.path("data");
        if (!data.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no data list");
        // COQL's info.count is the size of this page, not a total: Zoho does not say how many match.
        // COQL answers every record's id, selected or not.
        return LookupResult.of(CrmRecords.flattenAll(data, limit).stream()
                .map(record -> record.linkedBy("id", id -> recordUrl(settings, module, id)))
                .toList());
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
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret());
        form.put("refresh_token", settings.refreshToken());
        // The token outlives the lookup that asked for it, so it gets the CRM's timeout, not that lookup's budget.
        return OAuthTokenRequest.fetch(http, settings.tokenUrl(), form, spec.timeout(), context.clock(), DEFAULT_LIFETIME);
    }

    // --- writes -------------------------------------------------------------------------------

    /** Modules Zoho's upsert does not take: a key field there is looked up with COQL before the insert. */
    static final java.util.Set<String> NOT_UPSERTABLE = java.util.Set.of("Calls", "Tasks", "Events");
    /** Modules whose records a call names in {@code Who_Id}; any other is the {@code What_Id} with {@code $se_module}. */
    private static final java.util.Set<String> WHO_MODULES = java.util.Set.of("Contacts", "Leads");
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z0-9_$]{1,100}");
    private static final java.time.format.DateTimeFormatter CALL_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(java.time.ZoneOffset.UTC);

    @Override
    public java.util.Set<WriteKind> writeKinds() {
        return WriteKind.ALL;
    }

    /** An update always; a create or call log when {@code keyField} holds the call key (an upsert on it, or a COQL lookup of it first). */
    @Override
    public boolean retrySafe(CrmWrite write) {
        return write.retrySafeByKeyField();
    }

    /**
     * Create: {@code POST /crm/v7/{Module}}, with a key field {@code POST /{Module}/upsert} with it as the only
     * {@code duplicate_check_fields} (Calls, Tasks and Events: a COQL lookup of it, then the insert). Update:
     * {@code PUT /{Module}/{id}}. Call log: a Calls record made the same way. Zoho answers a refused record
     * inside a 2xx reply ({@code data[0].status: error}): that fails with its code, not worth retrying.
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        CrmWrite write = request.write();
        if (!ZohoSchema.MODULE.matcher(write.object()).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a module name: " + write.object()));
        }
        long start = context.ticker().read();
        try {
            if (write instanceof CrmWrite.Update update) {
                return send("PUT", "/" + update.object() + "/" + CrmCall.encode(update.recordId()), records(update.fields()), request, start)
                        .thenApply(response -> result(update.object(), response));
            }
            if (write instanceof CrmWrite.Create create) return create(create.object(), create.fields(), create.keyField(), request, start);
            CrmWrite.LogCall log = (CrmWrite.LogCall) write;
            return create("Calls", callFields(log), log.keyField(), request, start);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The Calls record of a call log: an inbound call that started then, on the record, with the route's fields over these. */
    static Map<String, Object> callFields(CrmWrite.LogCall log) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("Subject", log.subject());
        call.put("Call_Type", "Inbound");
        call.put("Call_Start_Time", CALL_TIME.format(log.call().started()));
        call.put("Description", log.call().describe());
        if (WHO_MODULES.contains(log.object())) {
            call.put("Who_Id", Map.of("id", log.recordId()));
        } else {
            call.put("What_Id", Map.of("id", log.recordId()));
            call.put("$se_module", log.object());
        }
        call.putAll(log.fields());
        return call;
    }

    /** An insert; with a key field holding the call key, an upsert on it, or where Zoho has none a COQL lookup of it first. */
    private CompletableFuture<WriteResult> create(String module, Map<String, ?> fields, Optional<String> keyField, WriteRequest request,
            long start) {
        Map<String, Object> record = new LinkedHashMap<>(fields);
        if (keyField.isEmpty()) return insert(module, record, request, start);
        String key = keyField.get();
        record.put(key, request.write().callKey());
        if (!NOT_UPSERTABLE.contains(module)) {
            Map<String, Object> body = new LinkedHashMap<>(records(record));
            body.put("duplicate_check_fields", List.of(key));
            return send("POST", "/" + module + "/upsert", body, request, start).thenApply(response -> result(module, response));
        }
        if (!CoqlQuery.canMatch(request.write().callKey())) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "the call key cannot be looked up in COQL"));
        }
        String query;
        try {
            query = CoqlQuery.select(module, key, List.of("id"), List.of(request.write().callKey()), 1);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, e.getMessage()));
        }
        return send("POST", "/coql", Map.of("select_query", query), request, start).thenCompose(response -> {
            LookupResult earlier = read(response, 1, module);
            if (earlier.isEmpty()) return insert(module, record, request, start);
            CrmRecord found = earlier.records().get(0);
            String id = found.id().orElseThrow(() -> http.failure(CrmException.Kind.BAD_RESPONSE, "COQL reply has no record id"));
            return CompletableFuture.completedFuture(new WriteResult(module, id, recordUrl(settings, module, id), true));
        });
    }

    private CompletableFuture<WriteResult> insert(String module, Map<String, Object> record, WriteRequest request, long start) {
        return send("POST", "/" + module, records(record), request, start).thenApply(response -> result(module, response));
    }

    /** {@code {"data": [record]}}. */
    private static Map<String, Object> records(Map<String, ?> record) {
        return Map.of("data", List.of(record));
    }

    /** {@code body} as JSON to {@code path} under the API root, within what is left of the write's budget. */
    private CompletableFuture<HttpResponse<String>> send(String method, String path, Object body, WriteRequest request, long start) {
        return withToken(root -> CrmCall.json(method, URI.create(root + path), body),
                call -> http.send(call, request.budget().minus(context.since(start)), request.trace(), request.abort()));
    }

    /**
     * The record of {@code data[0]}, or the failure it or the reply's status tells; an upsert's {@code action: update}
     * says the key matched, so a retry found what its first attempt made.
     */
    private WriteResult result(String module, HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode first;
        try {
            first = http.json(response).path("data").path(0);
        } catch (CrmException notJson) {
            if (status < 200 || status > 299) throw http.statusFailure(response);
            throw notJson;
        }
        if (first.path("status").asText("").equals("success")) {
            String id = first.path("details").path("id").asText("");
            if (id.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no details.id");
            return new WriteResult(module, id, recordUrl(settings, module, id), first.path("action").asText("").equals("update"));
        }
        if (!first.isObject()) {
            if (status >= 200 && status <= 299) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no data list");
            CrmException failure = http.statusFailure(response);
            String code = errorCode(response);
            throw code.isEmpty() ? failure : failure.withMessage(failure.getMessage() + ": " + code);
        }
        String code = first.path("code").asText("");
        String field = first.path("details").path("api_name").asText("");
        String why = (ERROR_CODE.matcher(code).matches() ? code : "no code")
                + (API_NAME.matcher(field).matches() ? " (field " + field + ")" : "");
        if (status >= 200 && status <= 299) {
            // A record refused as given inside a 2xx reply: sending it again fails the same way.
            throw http.failure(CrmException.Kind.HTTP_STATUS, "HTTP " + status + " but the record was refused: " + why, status);
        }
        CrmException failure = http.statusFailure(response);
        throw failure.withMessage(failure.getMessage() + ": " + why);
    }
}
