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
        URI uri = URI.create(settings.baseUrl() + "/api/data/" + settings.apiVersion() + "/" + query);
        return tokens.withToken(token -> http.send(CrmCall.get(uri)
                        .header("Authorization", "Bearer " + token.value())
                        .header("Accept", "application/json")
                        .header("OData-MaxVersion", "4.0")
                        .header("OData-Version", "4.0"), spec.timeout().minus(context.since(start)), LookupRequest.NO_TRACE))
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
            uri = URI.create(settings.baseUrl() + "/api/data/" + settings.apiVersion() + "/" + request.object() + "?"
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
        }).thenApply(response -> read(response, request.limit(), request.object()));
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
        return Optional.of(baseUrl + "/main.aspx?etn=" + RecordPages.encode(logicalName) + "&id=" + RecordPages.encode(id)
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
}
