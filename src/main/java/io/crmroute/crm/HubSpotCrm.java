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

    HubSpotCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.settings = settings;
        this.http = new CrmHttp(spec, context);
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
                + RecordPages.encode(typeId) + "/" + RecordPages.encode(id));
    }
}
