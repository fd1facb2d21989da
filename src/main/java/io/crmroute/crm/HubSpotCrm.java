package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * HubSpot (type {@code hubspot}): the CRM search API,
 * {@code POST {base-url}/crm/v3/objects/{object}/search} with one filter group per phone notation
 * (groups are ORed; HubSpot allows at most {@value #MAX_GROUPS}), authenticated with a private-app
 * token as {@code Authorization: Bearer}. A private-app token does not expire and cannot be
 * refreshed, so a 401 is an AUTH failure at once. The caller's value only ever travels as a JSON
 * string of an {@code EQ} filter, which has no wildcard or operator syntax to escape.
 */
final class HubSpotCrm implements CrmConnector {

    static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    static final int MAX_GROUPS = 5;
    /** The search endpoint's page size limit. */
    static final int MAX_LIMIT = 200;
    static final int MAX_VALUE_LENGTH = 256;
    static final String DEFAULT_UI_URL = "https://app.hubspot.com";
    // Standard object names (contacts), object type ids (0-1, 2-123456) and custom names (p_tickets).
    private static final Pattern OBJECT = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");

    static final CrmKey<URI> BASE_URL = CrmKey.withDefault("base-url", KeyParsers.credentialUrl(), URI.create(DEFAULT_BASE_URL));
    static final CrmKey<String> API_TOKEN = CrmKey.required("auth.api-token", KeyParsers.text()).secret();
    static final CrmKey<String> PORTAL_ID = CrmKey.optional("portal-id",
            KeyParsers.matching("[0-9]{1,15}", "expected the account's portal id (Hub ID), digits"));
    static final CrmKey<String> UI_URL = CrmKey.withDefault("ui-url", RecordPages.uiUrl(), DEFAULT_UI_URL);

    static final CrmType<Settings> TYPE = CrmType.of("hubspot", Settings.class, Settings::of, HubSpotCrm::new,
            BASE_URL, API_TOKEN, PORTAL_ID, UI_URL);

    /**
     * A HubSpot entry, read: the API root and the private-app token; record pages need the account's
     * {@code portal-id}, which the search API does not tell (it is {@code portalId} of
     * {@code GET /account-info/v3/details}, and the Hub ID in the account menu).
     */
    record Settings(String baseUrl, String apiToken, Optional<String> portalId, String uiUrl) {

        static Settings of(CrmValues values) {
            return new Settings(CrmCall.withoutTrailingSlash(values.get(BASE_URL).toString()), values.get(API_TOKEN),
                    values.find(PORTAL_ID), values.get(UI_URL));
        }
    }

    /** The object type ids of HubSpot's standard objects; a route may also name an object by its type id. */
    private static final Map<String, String> OBJECT_TYPE_IDS = Map.of(
            "contacts", "0-1", "companies", "0-2", "deals", "0-3", "tickets", "0-5");

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmHttp http;
    private final CrmContext context;

    HubSpotCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.settings = settings;
        this.http = new CrmHttp(spec, context);
        this.context = context;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return metadata("/crm/v3/schemas", null).thenApply(reply -> HubSpotSchema.objects(reply, http));
    }

    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        if (!OBJECT.matcher(object).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "object is not a HubSpot object type: " + object));
        }
        return metadata("/crm/v3/properties/" + object, object).thenApply(reply -> HubSpotSchema.fields(reply, http));
    }

    /** A GET of {@code path} within the CRM's timeout; a 400 or 404 about {@code object} names it. */
    private CompletableFuture<JsonNode> metadata(String path, String object) {
        try {
            CrmCall call = CrmCall.get(URI.create(settings.baseUrl() + path)).header("Authorization", "Bearer " + settings.apiToken())
                    .header("Accept", "application/json");
            return http.send(call, spec.timeout(), LookupRequest.NO_TRACE).thenApply(response -> {
                // HubSpot answers an object type it cannot resolve with 400 ("Unable to infer object type") or 404.
                if ((response.statusCode() == 400 || response.statusCode() == 404) && object != null) {
                    throw http.failure(CrmException.Kind.CONFIG, "no object type " + object);
                }
                return http.json(http.requireSuccess(response));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        if (!OBJECT.matcher(request.object()).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "object is not a HubSpot object type: " + request.object()));
        }
        if (request.value().length() > MAX_VALUE_LENGTH) return CompletableFuture.completedFuture(LookupResult.none());
        try {
            int limit = Math.min(request.limit(), MAX_LIMIT);
            ObjectNode body = searchBody(request.field(), values(request), request.fields(), limit);
            URI uri = URI.create(settings.baseUrl() + "/crm/v3/objects/" + request.object() + "/search");
            CrmCall call = CrmCall.postJson(uri, body).header("Authorization", "Bearer " + settings.apiToken());
            return http.sendForJson(call, request).thenApply(reply -> read(reply, limit, request.object()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The value, or its phone notations (at most one filter group each). */
    static List<String> values(LookupRequest request) {
        List<String> values = request.phone().map(matching -> PhoneNumbers.variants(request.value(), matching)).orElse(List.of(request.value()));
        return values.size() > MAX_GROUPS ? values.subList(0, MAX_GROUPS) : values;
    }

    /** {@code {"filterGroups":[{"filters":[{"propertyName":F,"operator":"EQ","value":V}]},...],"properties":[...],"limit":N}}. */
    static ObjectNode searchBody(String field, List<String> values, List<String> properties, int limit) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        ArrayNode groups = body.putArray("filterGroups");
        for (String value : values) {
            ObjectNode filter = groups.addObject().putArray("filters").addObject();
            filter.put("propertyName", field);
            filter.put("operator", "EQ");
            filter.put("value", value);
        }
        ArrayNode wanted = body.putArray("properties");
        properties.forEach(wanted::add);
        body.put("limit", limit);
        return body;
    }

    /** {@code {total, results:[{id, properties:{...}}], paging}}: each result's id and properties. */
    private LookupResult read(JsonNode reply, int limit, String object) {
        JsonNode results = reply.path("results");
        if (!reply.isObject() || !results.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no results list");
        List<CrmRecord> records = new ArrayList<>();
        for (JsonNode result : results) {
            if (records.size() >= limit) break;
            Map<String, String> fields = new LinkedHashMap<>();
            if (result.hasNonNull("id")) fields.put("id", result.get("id").asText());
            fields.putAll(CrmRecords.flatten(result.path("properties")).fields());
            records.add(new CrmRecord(fields).linkedBy("id", id -> recordUrl(settings, object, id)));
        }
        return new LookupResult(records, reply.path("total").asInt(records.size()));
    }

    /** {@code {ui}/contacts/{portalId}/record/{objectTypeId}/{id}}, when the portal id is configured. */
    static Optional<String> recordUrl(Settings settings, String object, String id) {
        String typeId = OBJECT_TYPE_IDS.getOrDefault(object.toLowerCase(java.util.Locale.ROOT), object);
        return settings.portalId().map(portal -> settings.uiUrl() + "/contacts/" + portal + "/record/"
                + CrmCall.encode(typeId) + "/" + CrmCall.encode(id));
    }

    // --- writes -------------------------------------------------------------------------------

    /** HubSpot-defined association type ids of a call to the standard objects a call is logged on. */
    static final Map<String, Integer> CALL_ASSOCIATION_TYPES = Map.of("contacts", 194, "companies", 182, "deals", 206, "tickets", 220);
    private static final Pattern ERROR_CATEGORY = Pattern.compile("[A-Z_]{1,64}");

    @Override
    public java.util.Set<WriteKind> writeKinds() {
        return WriteKind.ALL;
    }

    /** An update always; a create or call log when {@code keyField} names the unique property the batch upsert matches on. */
    @Override
    public boolean retrySafe(CrmWrite write) {
        return write.retrySafeByKeyField();
    }

    /**
     * Create: {@code POST /crm/v3/objects/{type}}, or with a key field {@code POST .../batch/upsert} on it.
     * Update: {@code PATCH /crm/v3/objects/{type}/{id}}. Call log: a {@code calls} object made the same two ways,
     * associated with the record (inline when made by a plain create, by the v4 default association after an upsert).
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        CrmWrite write = request.write();
        if (!OBJECT.matcher(write.object()).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "object is not a HubSpot object type: " + write.object()));
        }
        long start = context.ticker().read();
        try {
            if (write instanceof CrmWrite.Create create) {
                return made(create.object(), create.fields(), create.keyField(), create.callKey(), Optional.empty(), request, start)
                        .thenApply(made -> new WriteResult(create.object(), made.id(), recordUrl(settings, create.object(), made.id()),
                                made.earlier()));
            }
            if (write instanceof CrmWrite.Update update) {
                ObjectNode body = CrmHttp.JSON.createObjectNode();
                body.set("properties", CrmHttp.JSON.valueToTree(update.fields()));
                CrmCall call = CrmCall.json("PATCH", objectsUri(update.object() + "/" + CrmCall.encode(update.recordId())), body);
                return send(call, request, start).thenApply(reply -> WriteResult.made(update.object(),
                        reply.path("id").asText(update.recordId()), recordUrl(settings, update.object(), update.recordId())));
            }
            return logCall((CrmWrite.LogCall) write, request, start);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A {@code calls} object on the record. Without a key field: one create with the association inline (HubSpot's
     * type id for the object needed). With one: an upsert on it, then the default association, which a retry
     * repeats harmlessly (associating twice is still one association).
     */
    private CompletableFuture<WriteResult> logCall(CrmWrite.LogCall log, WriteRequest request, long start) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hs_timestamp", log.call().started().toString());
        properties.put("hs_call_title", log.subject());
        properties.put("hs_call_direction", "INBOUND");
        properties.put("hs_call_status", "COMPLETED");
        properties.put("hs_call_from_number", log.call().callerId());
        if (!log.call().dnid().isEmpty()) properties.put("hs_call_to_number", log.call().dnid());
        properties.putAll(log.fields());
        if (log.keyField().isEmpty()) {
            Integer type = CALL_ASSOCIATION_TYPES.get(log.object());
            if (type == null) {
                return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "a call log without key-field attaches to "
                        + String.join(", ", new java.util.TreeSet<>(CALL_ASSOCIATION_TYPES.keySet())) + ", not " + log.object()));
            }
            ObjectNode association = CrmHttp.JSON.createObjectNode();
            association.putObject("to").put("id", log.recordId());
            association.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", type);
            return made("calls", properties, Optional.empty(), log.callKey(), Optional.of(association), request, start)
                    .thenApply(made -> new WriteResult("calls", made.id(), Optional.empty(), made.earlier()));
        }
        return made("calls", properties, log.keyField(), log.callKey(), Optional.empty(), request, start).thenCompose(made -> {
            URI associate = URI.create(settings.baseUrl() + "/crm/v4/objects/calls/" + CrmCall.encode(made.id()) + "/associations/default/"
                    + log.object() + "/" + CrmCall.encode(log.recordId()));
            return send(new CrmCall("PUT", associate, Map.of(), Optional.empty()), request, start)
                    .thenApply(ignored -> new WriteResult("calls", made.id(), Optional.empty(), made.earlier()));
        });
    }

    /** A record's id, and whether an upsert found it rather than made it. */
    private record Made(String id, boolean earlier) {}

    /** {@code POST /crm/v3/objects/{type}} {properties, associations}, or the batch upsert of one input on {@code keyField} = call key. */
    private CompletableFuture<Made> made(String type, Map<String, String> properties, Optional<String> keyField, String callKey,
            Optional<ObjectNode> association, WriteRequest request, long start) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        if (keyField.isEmpty()) {
            body.set("properties", CrmHttp.JSON.valueToTree(properties));
            association.ifPresent(one -> body.putArray("associations").add(one));
            return send(CrmCall.postJson(objectsUri(type), body), request, start).thenApply(reply -> new Made(id(reply), false));
        }
        ObjectNode input = body.putArray("inputs").addObject();
        input.put("idProperty", keyField.get());
        input.put("id", callKey);
        input.set("properties", CrmHttp.JSON.valueToTree(properties));
        return http.send(authorized(CrmCall.postJson(objectsUri(type + "/batch/upsert"), body)), left(request, start), request.trace(),
                request.abort()).thenApply(response -> {
            JsonNode reply = json(response);
            JsonNode result = reply.path("results").path(0);
            if (result.isObject()) return new Made(id(result), !result.path("new").asBoolean(true));
            // 207 Multi-Status: the input was refused as given (an invalid value, idProperty not unique-valued).
            String category = category(reply.path("errors").path(0));
            throw http.failure(CrmException.Kind.HTTP_STATUS, "HTTP " + response.statusCode() + " upsert made nothing"
                    + (category.isEmpty() ? "" : ": " + category), response.statusCode());
        });
    }

    private URI objectsUri(String path) {
        return URI.create(settings.baseUrl() + "/crm/v3/objects/" + path);
    }

    private String id(JsonNode record) {
        String id = record.path("id").asText("");
        if (id.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no record id");
        return id;
    }

    /** {@code call} with the token, within what is left of the write's budget: the 2xx reply's JSON. */
    private CompletableFuture<JsonNode> send(CrmCall call, WriteRequest request, long start) {
        return http.send(authorized(call), left(request, start), request.trace(), request.abort()).thenApply(this::json);
    }

    private CrmCall authorized(CrmCall call) {
        return call.header("Authorization", "Bearer " + settings.apiToken()).header("Accept", "application/json");
    }

    private java.time.Duration left(WriteRequest request, long start) {
        return request.budget().minus(context.since(start));
    }

    /** A 2xx reply's JSON; any other the status failure naming HubSpot's error category. */
    private JsonNode json(java.net.http.HttpResponse<String> response) {
        if (response.statusCode() >= 200 && response.statusCode() <= 299) return http.json(response);
        CrmException failure = http.statusFailure(response);
        String category;
        try {
            category = category(http.json(response));
        } catch (CrmException notJson) {
            category = "";
        }
        throw category.isEmpty() ? failure : failure.withMessage(failure.getMessage() + ": " + category);
    }

    /** HubSpot's {@code category} (VALIDATION_ERROR, CONFLICT...): never its message, which may echo the values sent. */
    private static String category(JsonNode error) {
        String category = error.path("category").asText("");
        return ERROR_CATEGORY.matcher(category).matches() ? category : "";
    }
}
