package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Salesforce (type {@code salesforce}): one SOQL query over REST,
 * {@code GET {instance}/services/data/{api-version}/query?q=SELECT ... WHERE field IN (...) LIMIT n},
 * every phone notation in the IN list. The token comes from the OAuth2 client credentials flow at
 * the org's My Domain ({@code base-url}); its reply's {@code instance_url} is where queries go.
 * Salesforce token replies carry no {@code expires_in}, so a token is trusted for
 * {@code token-lifetime} and replaced at once when a query gets 401 INVALID_SESSION_ID.
 * 403 REQUEST_LIMIT_EXCEEDED (the daily API allocation) counts as rate limiting.
 */
final class SalesforceCrm implements CrmConnector {

    static final String DEFAULT_API_VERSION = "v61.0";
    static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(30);
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Z_]{1,64}");

    static final CrmKey<URI> BASE_URL = CrmKey.required("base-url", KeyParsers.credentialUrl());
    static final CrmKey<String> API_VERSION = CrmKey.withDefault("api-version",
            KeyParsers.matching("v?(\\d{2,3}\\.\\d)", "expected vNN.N", version -> "v" + version.group(1)), DEFAULT_API_VERSION);
    static final CrmKey<Duration> TOKEN_LIFETIME = CrmKey.withDefault("token-lifetime", KeyParsers.duration(Duration.ofHours(24)),
            DEFAULT_TOKEN_LIFETIME);
    static final CrmKey<String> CLIENT_ID = CrmKey.required("auth.client-id", KeyParsers.text());
    static final CrmKey<String> CLIENT_SECRET = CrmKey.required("auth.client-secret", KeyParsers.text()).secret();
    static final CrmKey<URI> TOKEN_URL = CrmKey.optional("auth.token-url", KeyParsers.credentialUrl());
    static final CrmKey<String> UI_URL = CrmKey.optional("ui-url", RecordPages.uiUrl());

    static final CrmType<Settings> TYPE = CrmType.of("salesforce", Settings.class, Settings::of, SalesforceCrm::new,
            BASE_URL, API_VERSION, TOKEN_LIFETIME, CLIENT_ID, CLIENT_SECRET, TOKEN_URL, UI_URL);

    /**
     * A Salesforce entry, read: {@code tokenUrl} defaults to {@code {base-url}/services/oauth2/token},
     * {@code uiUrl} (where record pages are) to the Lightning domain of the My Domain {@code base-url}.
     */
    record Settings(String baseUrl, String apiVersion, Duration tokenLifetime, String clientId, String clientSecret, URI tokenUrl,
                    String uiUrl) {

        static Settings of(CrmValues values) {
            String base = CrmCall.withoutTrailingSlash(values.get(BASE_URL).toString());
            return new Settings(base, values.get(API_VERSION), values.get(TOKEN_LIFETIME), values.get(CLIENT_ID),
                    values.get(CLIENT_SECRET), values.find(TOKEN_URL).orElse(URI.create(base + "/services/oauth2/token")),
                    values.find(UI_URL).orElseGet(() -> lightning(base)));
        }
    }

    /**
     * The Lightning domain of a My Domain URL: {@code https://acme.my.salesforce.com} (or
     * {@code acme--uat.sandbox.my.salesforce.com}) has its records at {@code https://acme.lightning.force.com};
     * any other base is taken as the UI root itself.
     */
    static String lightning(String myDomain) {
        URI uri = URI.create(myDomain);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String suffix = ".my.salesforce.com";
        if (!host.endsWith(suffix)) return myDomain;
        return "https://" + host.substring(0, host.length() - suffix.length()) + ".lightning.force.com";
    }

    /** {@code {ui}/lightning/r/{sObject}/{Id}/view}, the Lightning record page. */
    static Optional<String> recordUrl(String uiUrl, String sObject, String id) {
        return Optional.of(uiUrl + "/lightning/r/" + CrmCall.encode(sObject) + "/" + CrmCall.encode(id) + "/view");
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens tokens;

    SalesforceCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.settings = settings;
        this.context = context;
        this.http = new CrmHttp(spec, context).alsoRateLimitedWhen(SalesforceCrm::requestLimitExceeded);
        this.tokens = AccessTokens.shared(spec.name(), this::fetchToken, context);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return metadata("/sobjects/", null).thenApply(reply -> SalesforceSchema.objects(reply, http));
    }

    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        if (!SalesforceSchema.OBJECT.matcher(object).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not an sObject name: " + object));
        }
        return metadata("/sobjects/" + object + "/describe", object).thenApply(reply -> SalesforceSchema.fields(reply, http));
    }

    @Override
    public Set<WriteKind> writeKinds() {
        return WriteKind.ALL;
    }

    /** An update always; a call log always (the Task is looked up by its CallObject first); a create with a key field (an upsert). */
    @Override
    public boolean retrySafe(CrmWrite write) {
        return !(write instanceof CrmWrite.Create create) || create.keyField().isPresent();
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        CrmWrite write = request.write();
        long start = context.ticker().read();
        try {
            if (write instanceof CrmWrite.Create create) {
                return send(SalesforceWrites.create(create), request, start).thenCompose(response -> made(create.object(), response,
                        create.keyField().map(key -> "/sobjects/" + create.object() + "/" + key + "/" + CrmCall.encode(create.callKey())),
                        request, start));
            }
            if (write instanceof CrmWrite.Update update) {
                return send(SalesforceWrites.update(update), request, start).thenApply(response -> {
                    requireSuccess(response);
                    return WriteResult.made(update.object(), update.recordId(), recordUrl(settings.uiUrl(), update.object(), update.recordId()));
                });
            }
            CrmWrite.LogCall log = (CrmWrite.LogCall) write;
            SalesforceWrites.Request task = SalesforceWrites.task(log);
            if (log.keyField().isPresent()) {
                return send(task, request, start).thenCompose(response -> made("Task", response,
                        Optional.of(task.path()), request, start));
            }
            return query(SalesforceWrites.earlierTask(log), request, start).thenCompose(earlier -> {
                String id = earlier.path("records").path(0).path("Id").asText("");
                if (!id.isEmpty()) return CompletableFuture.completedFuture(new WriteResult("Task", id, recordUrl(settings.uiUrl(), "Task", id), true));
                return send(task, request, start).thenCompose(response -> made("Task", response, Optional.empty(), request, start));
            });
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, e.getMessage()));
        }
    }

    /**
     * The record a create or upsert answered: 201 (created) or 200 (an upsert found it) with its {@code id};
     * an upsert answered 204, as versions before 46.0 do, is read back from {@code readBack}.
     */
    private CompletableFuture<WriteResult> made(String object, HttpResponse<String> response, Optional<String> readBack,
                                                WriteRequest request, long start) {
        requireSuccess(response);
        boolean earlier = response.statusCode() != 201;
        if (response.statusCode() == 204 && readBack.isPresent()) {
            return send(new SalesforceWrites.Request("GET", readBack.get() + "?fields=Id", Optional.empty()), request, start)
                    .thenApply(read -> result(object, http.json(requireSuccess(read)).path("Id").asText(""), earlier));
        }
        JsonNode reply = http.json(response);
        return CompletableFuture.completedFuture(result(object, reply.path("id").asText(""), earlier || !reply.path("created").asBoolean(true)));
    }

    private WriteResult result(String object, String id, boolean earlier) {
        if (id.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no record id");
        return new WriteResult(object, id, recordUrl(settings.uiUrl(), object, id), earlier);
    }

    private HttpResponse<String> requireSuccess(HttpResponse<String> response) {
        if (response.statusCode() < 200 || response.statusCode() > 299) throw statusFailure(response);
        return response;
    }

    /** One request of a write, within what is left of its budget. */
    private CompletableFuture<HttpResponse<String>> send(SalesforceWrites.Request request, WriteRequest write, long start) {
        return tokens.withToken(token -> {
            CrmCall call;
            try {
                URI uri = URI.create(instance(token) + "/services/data/" + settings.apiVersion() + request.path());
                call = request.body().map(body -> CrmCall.json(request.method(), uri, body)).orElseGet(() -> CrmCall.get(uri))
                        .header("Authorization", "Bearer " + token.value())
                        .header("Accept", "application/json");
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(http.failure(CrmException.Kind.BAD_RESPONSE, "instance_url is not a URL"));
            }
            return http.send(call, write.budget().minus(context.since(start)), write.trace(), write.abort());
        });
    }

    private CompletableFuture<JsonNode> query(String soql, WriteRequest write, long start) {
        return send(new SalesforceWrites.Request("GET", "/query?q=" + CrmCall.encode(soql), Optional.empty()), write, start)
                .thenApply(response -> http.json(requireSuccess(response)));
    }

    private String instance(AccessToken token) {
        return token.extra("instance_url").map(CrmCall::withoutTrailingSlash).orElse(settings.baseUrl());
    }

    /** SOQL takes field and object names in any case. */
    @Override
    public boolean namesIgnoreCase() {
        return true;
    }

    /** A GET under {@code /services/data/{version}} within the CRM's timeout; a 404 about {@code object} names it. */
    private CompletableFuture<JsonNode> metadata(String path, String object) {
        long start = context.ticker().read();
        return tokens.withToken(token -> {
            String instance = token.extra("instance_url").map(CrmCall::withoutTrailingSlash).orElse(settings.baseUrl());
            CrmCall call;
            try {
                call = CrmCall.get(URI.create(instance + "/services/data/" + settings.apiVersion() + path))
                        .header("Authorization", "Bearer " + token.value())
                        .header("Accept", "application/json");
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(http.failure(CrmException.Kind.BAD_RESPONSE, "instance_url is not a URL"));
            }
            return http.send(call, spec.timeout().minus(context.since(start)), LookupRequest.NO_TRACE);
        }).thenApply(response -> {
            if (response.statusCode() == 404 && object != null) {
                throw http.failure(CrmException.Kind.CONFIG, "no sObject " + object + " the CRM user can see");
            }
            if (response.statusCode() < 200 || response.statusCode() > 299) throw statusFailure(response);
            return http.json(response);
        });
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        List<String> values = matchValues(request);
        if (values.isEmpty()) return CompletableFuture.completedFuture(LookupResult.none());
        String soql;
        try {
            soql = SoqlQuery.select(request.object(), request.field(), request.fields(), values, request.limit());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, e.getMessage()));
        }
        long start = context.ticker().read();
        return tokens.withToken(token -> {
            String instance = token.extra("instance_url").map(CrmCall::withoutTrailingSlash).orElse(settings.baseUrl());
            CrmCall call;
            try {
                call = CrmCall.get(instance + "/services/data/" + settings.apiVersion() + "/query", Map.of("q", soql))
                        .header("Authorization", "Bearer " + token.value())
                        .header("Accept", "application/json");
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(http.failure(CrmException.Kind.BAD_RESPONSE, "instance_url is not a URL"));
            }
            return http.send(call, request.withBudget(request.budget().minus(context.since(start))));
        }).thenApply(response -> read(response, request));
    }

    /** The caller's value in every notation the CRM may store, leaving out what no record can hold. */
    static List<String> matchValues(LookupRequest request) {
        List<String> values = request.phone().map(phone -> PhoneNumbers.variants(request.value(), phone)).orElse(List.of(request.value()));
        return values.stream().filter(SoqlQuery::canMatch).toList();
    }

    private LookupResult read(HttpResponse<String> response, LookupRequest request) {
        if (response.statusCode() < 200 || response.statusCode() > 299) throw statusFailure(response);
        JsonNode reply = http.json(response);
        JsonNode records = reply.path("records");
        if (!records.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no records list");
        List<CrmRecord> found = new java.util.ArrayList<>();
        for (JsonNode record : records) {
            if (found.size() >= request.limit()) break;
            if (!record.isObject()) continue;
            CrmRecord fields = spelledAsRequested(CrmRecords.flatten(withoutAttributes(record)), request.fields());
            found.add(linked(fields, record, request));
        }
        return new LookupResult(found, reply.path("totalSize").asInt(found.size()));
    }

    /** The status failure, with Salesforce's errorCode (never its message, which may echo the query). */
    private CrmException statusFailure(HttpResponse<String> response) {
        CrmException failure = http.statusFailure(response);
        String code = errorCode(response);
        return code.isEmpty() ? failure : failure.withMessage(failure.getMessage() + ": " + code);
    }

    /** Salesforce errors are {@code [{"message": "...", "errorCode": "INVALID_FIELD"}]}. */
    static String errorCode(HttpResponse<String> response) {
        try {
            JsonNode errors = CrmHttp.JSON.readTree(response.body() == null ? "" : response.body());
            String code = errors == null ? "" : errors.path(0).path("errorCode").asText("");
            return ERROR_CODE.matcher(code).matches() ? code : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean requestLimitExceeded(HttpResponse<String> response) {
        return response.statusCode() == 403 && errorCode(response).equals("REQUEST_LIMIT_EXCEEDED");
    }

    /**
     * The record with its Id and Lightning page. Every SOQL record's {@code attributes} hold its
     * sObject {@code type} and REST {@code url} ({@code .../sobjects/Contact/003...}), whose last
     * segment is the Id even when the route did not select {@code Id}.
     */
    private CrmRecord linked(CrmRecord record, JsonNode raw, LookupRequest request) {
        JsonNode attributes = raw.path("attributes");
        String restUrl = attributes.path("url").asText("");
        String id = restUrl.isEmpty() ? idField(record) : restUrl.substring(restUrl.lastIndexOf('/') + 1);
        String sObject = attributes.path("type").asText(request.object());
        return record.linked(id, recordId -> recordUrl(settings.uiUrl(), sObject, recordId));
    }

    private static String idField(CrmRecord record) {
        for (Map.Entry<String, String> field : record.fields().entrySet()) {
            if (field.getKey().equalsIgnoreCase("Id")) return field.getValue();
        }
        return "";
    }

    /** Drops each record's (and related record's) {@code attributes} {type, url}. */
    private static JsonNode withoutAttributes(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) object.remove("attributes");
        node.forEach(SalesforceCrm::strip);
    }

    /** SOQL names are case-insensitive: answer each field under the spelling the route asked for. */
    private static CrmRecord spelledAsRequested(CrmRecord record, List<String> requested) {
        Map<String, String> byLowerCase = new LinkedHashMap<>();
        for (String field : requested) byLowerCase.putIfAbsent(field.toLowerCase(Locale.ROOT), field);
        Map<String, String> fields = new LinkedHashMap<>();
        record.fields().forEach((name, value) -> fields.put(byLowerCase.getOrDefault(name.toLowerCase(Locale.ROOT), name), value));
        return new CrmRecord(fields);
    }

    private CompletableFuture<AccessToken> fetchToken() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret());
        // The token outlives the lookup that asked for it, so it gets the CRM's timeout, not that lookup's budget.
        return OAuthTokenRequest.fetch(http, settings.tokenUrl(), form, spec.timeout(), context.clock(), settings.tokenLifetime());
    }
}
