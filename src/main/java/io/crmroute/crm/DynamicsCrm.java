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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.]{1,64}");

    static final CrmKey<URI> BASE_URL = CrmKey.required("base-url", KeyParsers.credentialUrl());
    static final CrmKey<String> API_VERSION = CrmKey.withDefault("api-version",
            KeyParsers.matching("v?(\\d\\.\\d)", "expected vN.N", version -> "v" + version.group(1)), DEFAULT_API_VERSION);
    static final CrmKey<String> CLIENT_ID = CrmKey.required("auth.client-id", KeyParsers.text());
    static final CrmKey<String> CLIENT_SECRET = CrmKey.required("auth.client-secret", KeyParsers.text()).secret();
    static final CrmKey<String> TENANT_ID = CrmKey.optional("auth.tenant-id",
            KeyParsers.matching("[A-Za-z0-9.-]{1,100}", "expected a tenant id (a GUID, or a domain such as contoso.onmicrosoft.com)"));
    static final CrmKey<URI> TOKEN_URL = CrmKey.optional("auth.token-url", KeyParsers.credentialUrl());
    static final CrmKey<String> SCOPE = CrmKey.optional("auth.scope", KeyParsers.text());

    static final CrmType<Settings> TYPE = CrmType.of("dynamics", Settings.class, Settings::of, DynamicsCrm::new,
            BASE_URL, API_VERSION, CLIENT_ID, CLIENT_SECRET, TENANT_ID, TOKEN_URL, SCOPE);

    /**
     * A Dynamics entry, read: {@code tokenUrl} defaults to the tenant's Entra ID endpoint (so one of
     * {@code auth.tenant-id} and {@code auth.token-url} is required), {@code scope} to {@code {base-url}/.default}.
     */
    record Settings(String baseUrl, String apiVersion, String clientId, String clientSecret, URI tokenUrl, String scope) {

        static Settings of(CrmValues values) {
            String base = CrmCall.withoutTrailingSlash(values.get(BASE_URL).toString());
            if (!values.has(TENANT_ID) && !values.has(TOKEN_URL)) values.missing(TENANT_ID, "unless auth.token-url is set");
            URI tokenUrl = values.find(TOKEN_URL).orElseGet(() ->
                    URI.create("https://login.microsoftonline.com/" + values.find(TENANT_ID).orElse("") + "/oauth2/v2.0/token"));
            return new Settings(base, values.get(API_VERSION), values.get(CLIENT_ID), values.get(CLIENT_SECRET), tokenUrl,
                    values.find(SCOPE).orElse(base + "/.default"));
        }
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens tokens;

    DynamicsCrm(CrmSpec spec, Settings settings, CrmContext context) {
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
        return metadata(DynamicsSchema.OBJECTS_QUERY, context.ticker().read()).thenApply(reply -> DynamicsSchema.objects(reply, http));
    }

    /** Two requests within the CRM's timeout: the entity set's logical name, then that entity's attributes. */
    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        long start = context.ticker().read();
        try {
            return metadata(DynamicsSchema.entityOfSet(object), start).thenCompose(reply -> {
                String entity = DynamicsSchema.logicalName(reply, http)
                        .orElseThrow(() -> http.failure(CrmException.Kind.CONFIG, "no entity set " + object + " the CRM user can query"));
                return metadata(DynamicsSchema.attributesOf(entity), start);
            }).thenApply(reply -> DynamicsSchema.fields(reply, http));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, e.getMessage()));
        }
    }

    /** A GET of {@code query} under the Web API root, within what is left of the CRM's timeout since {@code start}. */
    private CompletableFuture<JsonNode> metadata(String query, long start) {
        return metadata(query, () -> spec.timeout().minus(context.since(start)), LookupRequest.NO_TRACE, LookupAbort.NEVER);
    }

    /** A GET of {@code query} under the Web API root, within the time {@code left} when it is sent. */
    private CompletableFuture<JsonNode> metadata(String query, java.util.function.Supplier<Duration> left, java.util.function.Consumer<String> trace,
            LookupAbort abort) {
        URI uri = URI.create(api() + "/" + query);
        return tokens.withToken(token -> http.send(authorized(CrmCall.get(uri), token), left.get(), trace, abort))
                .thenApply(response -> {
                    if (response.statusCode() < 200 || response.statusCode() > 299) throw statusFailure(response);
                    return http.json(response);
                });
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        List<String> values = request.phone().map(phone -> PhoneNumbers.variants(request.value(), phone))
                .orElse(List.of(request.value())).stream().filter(ODataQuery::canMatch).toList();
        if (values.isEmpty()) return CompletableFuture.completedFuture(LookupResult.none());
        URI uri;
        try {
            ODataQuery.requireName("object", request.object());
            uri = URI.create(api() + "/" + request.object() + "?"
                    + ODataQuery.queryString(request.field(), request.fields(), values));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, e.getMessage()));
        }
        long start = context.ticker().read();
        return tokens.withToken(token -> {
            CrmCall call = authorized(CrmCall.get(uri), token).header("Prefer", "odata.maxpagesize=" + request.limit());
            return http.send(call, request.withBudget(request.budget().minus(context.since(start))));
        }).thenApply(response -> read(response, request.limit(), request.object()));
    }

    /** The Web API root, {@code {base-url}/api/data/{version}}. */
    private String api() {
        return settings.baseUrl() + "/api/data/" + settings.apiVersion();
    }

    /** {@code call} with the token and the OData headers every Web API request carries. */
    private static CrmCall authorized(CrmCall call, AccessToken token) {
        return call.header("Authorization", "Bearer " + token.value())
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0");
    }

    private LookupResult read(HttpResponse<String> response, int limit, String entitySet) {
        if (response.statusCode() < 200 || response.statusCode() > 299) throw statusFailure(response);
        JsonNode reply = http.json(response);
        JsonNode value = reply.path("value");
        if (!value.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no value list");
        List<CrmRecord> records = CrmRecords.flattenAll(withoutAnnotations(value), limit).stream()
                .map(record -> linked(record, entitySet))
                .toList();
        JsonNode count = reply.path("@odata.count");
        return new LookupResult(records, count.canConvertToInt() ? count.asInt() : value.size());
    }

    /**
     * The record with its primary key and its page in the model-driven app. Dataverse always answers
     * a table's primary key, {@code {logical name}id} ({@code contactid} of {@code contacts}), and the
     * page names the table by its logical name, so the route's entity set name is turned back into
     * the logical name whose key the record holds.
     */
    private CrmRecord linked(CrmRecord record, String entitySet) {
        for (String logicalName : logicalNames(entitySet)) {
            if (record.get(logicalName + "id").isPresent()) {
                return record.linkedBy(logicalName + "id", id -> recordUrl(settings.baseUrl(), logicalName, id));
            }
        }
        return record;
    }

    /** The logical names an entity set name may be the plural of: contacts, opportunities, addresses. */
    static List<String> logicalNames(String entitySet) {
        String set = entitySet.toLowerCase(java.util.Locale.ROOT);
        List<String> names = new ArrayList<>();
        if (set.endsWith("ies")) names.add(set.substring(0, set.length() - 3) + "y");
        if (set.endsWith("es")) names.add(set.substring(0, set.length() - 2));
        if (set.endsWith("s")) names.add(set.substring(0, set.length() - 1));
        names.add(set);
        return names;
    }

    /** {@code {org}/main.aspx?etn={logical name}&id={guid}&pagetype=entityrecord}: the org's default app opens the record. */
    static Optional<String> recordUrl(String baseUrl, String logicalName, String id) {
        return Optional.of(baseUrl + "/main.aspx?etn=" + CrmCall.encode(logicalName) + "&id=" + CrmCall.encode(id)
                + "&pagetype=entityrecord");
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
        return ERROR_CODE.matcher(code).matches() ? failure.withMessage(failure.getMessage() + ": " + code) : failure;
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
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret());
        form.put("grant_type", "client_credentials");
        form.put("scope", settings.scope());
        // The token outlives the lookup that asked for it, so it gets the CRM's timeout, not that lookup's budget.
        return OAuthTokenRequest.fetch(http, settings.tokenUrl(), form, spec.timeout(), context.clock(), FALLBACK_LIFETIME);
    }

    // --- writes -------------------------------------------------------------------------------

    private static final Pattern GUID = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");
    /** Entity set name to logical name, read once from the metadata: record pages and regarding binds name the logical name. */
    private final Map<String, String> logicalNames = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public java.util.Set<WriteKind> writeKinds() {
        return WriteKind.ALL;
    }

    /** Always: a create's or call log's record id is made of the call key, so a retry can only find the first attempt's record. */
    @Override
    public boolean retrySafe(CrmWrite write) {
        return true;
    }

    /**
     * Create: {@code PATCH /{set}({guid})} with {@code If-None-Match: *}, the GUID made of the call key (a retry
     * that finds it is answered 412: the first attempt made it). Update: {@code PATCH /{set}({id})} with
     * {@code If-Match: *} (never creates). Call log: a {@code phonecalls} record made as a create, regarding the record.
     * The entity set's logical name (record pages, regarding binds) is read from the metadata once per set.
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        CrmWrite write = request.write();
        long start = context.ticker().read();
        try {
            ODataQuery.requireName("object", write.object());
            if (write instanceof CrmWrite.LogCall log && !GUID.matcher(log.recordId()).matches()) {
                throw new IllegalArgumentException("record id is not a Dataverse GUID: " + log.recordId());
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, e.getMessage()));
        }
        return logicalName(write.object(), request, start).thenCompose(logicalName -> {
            if (write instanceof CrmWrite.Update update) {
                String id = update.recordId();
                return send(update.object() + "(" + CrmCall.encode(id) + ")", "If-Match", update.fields(), request, start)
                        .thenApply(response -> WriteResult.made(update.object(), id, recordUrl(settings.baseUrl(), logicalName, id)));
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            if (write instanceof CrmWrite.LogCall log) fields.putAll(phoneCall(log, logicalName));
            fields.putAll(write.fields());
            write.keyField().ifPresent(key -> fields.put(key, write.callKey()));
            return write instanceof CrmWrite.LogCall
                    ? create("phonecalls", "phonecall", fields, request, start)
                    : create(write.object(), logicalName, fields, request, start);
        });
    }

    /** A record of {@code set} with the id made of the call key; a 412 says a retry found the first attempt's record. */
    private CompletableFuture<WriteResult> create(String set, String logicalName, Map<String, ?> fields, WriteRequest request, long start) {
        String id = request.write().callKeyId();
        return send(set + "(" + id + ")", "If-None-Match", fields, request, start).thenApply(response ->
                new WriteResult(set, id, recordUrl(settings.baseUrl(), logicalName, id), response.statusCode() == 412));
    }


    /** An incoming phone call from the caller ID, regarding the record (the route's fields are laid over these). */
    static Map<String, Object> phoneCall(CrmWrite.LogCall log, String logicalName) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("subject", log.subject());
        call.put("phonenumber", log.call().callerId());
        call.put("directioncode", false);
        call.put("actualstart", log.call().started().toString());
        call.put("description", log.call().describe());
        call.put("regardingobjectid_" + logicalName + "@odata.bind", "/" + log.object() + "(" + log.recordId() + ")");
        return call;
    }

    /** {@code entitySet}'s logical name, from the metadata the first time. */
    private CompletableFuture<String> logicalName(String entitySet, WriteRequest request, long start) {
        String known = logicalNames.get(entitySet);
        if (known != null) return CompletableFuture.completedFuture(known);
        return metadata(DynamicsSchema.entityOfSet(entitySet), () -> request.budget().minus(context.since(start)), request.trace(), request.abort())
                .thenApply(reply -> {
                    String name = DynamicsSchema.logicalName(reply, http)
                            .orElseThrow(() -> http.failure(CrmException.Kind.CONFIG, "no entity set " + entitySet + " the CRM user can use"));
                    logicalNames.put(entitySet, name);
                    return name;
                });
    }

    /**
     * {@code PATCH {api}/{key}} of {@code fields} with {@code condition: *} ({@code If-Match}: update only;
     * {@code If-None-Match}: create only, 412 when the record exists), within what is left of the write's budget.
     * A 2xx, or a create's 412, is the answer; anything else its status failure.
     */
    private CompletableFuture<HttpResponse<String>> send(String key, String condition, Map<String, ?> fields, WriteRequest request, long start) {
        URI uri = URI.create(api() + "/" + key);
        return tokens.withToken(token -> http.send(authorized(CrmCall.json("PATCH", uri, fields), token).header(condition, "*"),
                request.budget().minus(context.since(start)), request.trace(), request.abort())).thenApply(response -> {
                    int status = response.statusCode();
                    boolean exists = status == 412 && condition.equals("If-None-Match");
                    if ((status < 200 || status > 299) && !exists) throw statusFailure(response);
                    return response;
                });
    }
}
