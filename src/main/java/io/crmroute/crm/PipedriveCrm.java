package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Pipedrive (type {@code pipedrive}): the v2 search API,
 * {@code GET {base-url}/api/v2/{object}/search?term=V&fields=F&exact_match=true&limit=N} with the
 * API token in the {@code x-api-token} header. With {@code exact_match} the term must equal the
 * whole stored value (case aside), and Pipedrive keeps phone numbers as typed, so a phone number is
 * searched in the first {@value #MAX_PHONE_SEARCHES} notations of {@code phone.formats} (by default
 * E.164, what integrations and validated imports write, and the national format people type), the
 * two requests in parallel, merged by item id. More would spend the token budget, where search is
 * among the costliest endpoints. The term is a plain URL parameter: no query syntax to escape.
 */
final class PipedriveCrm implements CrmConnector {

    static final String DEFAULT_BASE_URL = "https://api.pipedrive.com";
    static final int MAX_PHONE_SEARCHES = 2;
    static final int MAX_LIMIT = 500;
    static final int MAX_VALUE_LENGTH = 256;
    private static final Pattern OBJECT = Pattern.compile("[a-z]{1,32}");

    static final CrmKey<URI> BASE_URL = CrmKey.withDefault("base-url", KeyParsers.credentialUrl(), URI.create(DEFAULT_BASE_URL));
    static final CrmKey<Boolean> EXACT_MATCH = CrmKey.withDefault("exact-match", KeyParsers.flag(), true);
    static final CrmKey<String> API_TOKEN = CrmKey.required("auth.api-token", KeyParsers.text()).secret();
    static final CrmKey<String> COMPANY_DOMAIN = CrmKey.optional("company-domain",
            KeyParsers.matching("[a-z0-9][a-z0-9-]{0,62}", "expected the company domain, such as acme of acme.pipedrive.com"));
    static final CrmKey<String> UI_URL = CrmKey.optional("ui-url", RecordPages.uiUrl());

    static final CrmType<Settings> TYPE = CrmType.of("pipedrive", Settings.class, Settings::of, PipedriveCrm::new,
            BASE_URL, EXACT_MATCH, API_TOKEN, COMPANY_DOMAIN, UI_URL);

    /** The web UI's page of each searchable item type. */
    private static final Map<String, String> PAGES = Map.of(
            "persons", "person", "organizations", "organization", "deals", "deal", "products", "product", "leads", "leads/inbox");

    /**
     * A Pipedrive entry, read: record pages are at {@code ui-url}, or at {@code https://{company-domain}.pipedrive.com},
     * or at {@code base-url} when that is already the company's own domain (the default API host is not).
     */
    record Settings(String baseUrl, boolean exactMatch, String apiToken, Optional<String> uiUrl) {

        static Settings of(CrmValues values) {
            String base = CrmCall.withoutTrailingSlash(values.get(BASE_URL).toString());
            Optional<String> ui = values.find(UI_URL)
                    .or(() -> values.find(COMPANY_DOMAIN).map(domain -> "https://" + domain + ".pipedrive.com"))
                    .or(() -> companyHost(base));
            return new Settings(base, values.get(EXACT_MATCH), values.get(API_TOKEN), ui);
        }

        private static Optional<String> companyHost(String base) {
            String host = URI.create(base).getHost();
            return host != null && host.endsWith(".pipedrive.com") && !host.equals("api.pipedrive.com")
                    ? Optional.of("https://" + host) : Optional.empty();
        }
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmHttp http;
    private final CrmContext context;

    PipedriveCrm(CrmSpec spec, Settings settings, CrmContext context) {
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
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        if (!OBJECT.matcher(request.object()).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "object is not a Pipedrive item type: " + request.object()));
        }
        String value = request.value().strip();
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) return CompletableFuture.completedFuture(LookupResult.none());
        try {
            int limit = Math.min(request.limit(), MAX_LIMIT);
            List<CompletableFuture<JsonNode>> searches = new ArrayList<>();
            for (String term : terms(value, request)) searches.add(http.sendForJson(call(request, term, limit), request));
            return CompletableFuture.allOf(searches.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> merge(searches.stream().map(CompletableFuture::join).toList(), limit, request.object()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The search terms: the value, or its first phone notations. */
    static List<String> terms(String value, LookupRequest request) {
        List<String> terms = request.phone().map(matching -> PhoneNumbers.variants(value, matching)).orElse(List.of(value));
        return terms.size() > MAX_PHONE_SEARCHES ? terms.subList(0, MAX_PHONE_SEARCHES) : terms;
    }

    private CrmCall call(LookupRequest request, String term, int limit) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("term", term);
        parameters.put("fields", request.field());
        parameters.put("exact_match", String.valueOf(settings.exactMatch()));
        parameters.put("limit", String.valueOf(limit));
        return CrmCall.get(settings.baseUrl() + "/api/v2/" + request.object() + "/search", parameters).header("x-api-token", settings.apiToken());
    }

    /** Items of every reply, each item id once, in reply order. */
    private LookupResult merge(List<JsonNode> replies, int limit, String itemType) {
        List<CrmRecord> records = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        int distinct = 0;
        for (JsonNode reply : replies) {
            for (JsonNode entry : items(reply)) {
                JsonNode item = entry.path("item");
                if (!item.isObject()) continue;
                String id = item.path("id").asText("");
                if (!id.isEmpty() && !ids.add(id)) continue;
                distinct++;
                if (records.size() < limit) records.add(record(item).linkedBy("id", itemId -> recordUrl(settings, itemType, itemId)));
            }
        }
        return new LookupResult(records, distinct);
    }

    private JsonNode items(JsonNode reply) {
        if (!reply.isObject()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply is not a JSON object");
        if (!reply.path("success").asBoolean(true)) throw refusal(reply);
        JsonNode items = reply.path("data").path("items");
        if (items.isMissingNode() || items.isNull()) return CrmHttp.JSON.createArrayNode();
        if (!items.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "data.items is not a list");
        return items;
    }

    /** A 200 reply with {@code success:false}: its {@code errorCode} says why. */
    private CrmException refusal(JsonNode reply) {
        int code = reply.path("errorCode").asInt(0);
        String error = reply.path("error").asText("no reason given");
        CrmException.Kind kind = code == 401 || code == 403 ? CrmException.Kind.AUTH
                : code == 429 ? CrmException.Kind.RATE_LIMITED
                : CrmException.Kind.BAD_RESPONSE;
        return http.failure(kind, "success:false: " + error);
    }

    /**
     * The item flattened; search items hold {@code phones} and {@code emails} as lists of strings
     * (joined with commas), so the first of each is also given as {@code phone} / {@code email},
     * the names a route asks for.
     */
    static CrmRecord record(JsonNode item) {
        Map<String, String> fields = new LinkedHashMap<>(CrmRecords.flatten(item).fields());
        firstOf(item, "phones", "phone", fields);
        firstOf(item, "emails", "email", fields);
        return new CrmRecord(fields);
    }

    /** {@code {ui}/person/{id}} ({@code /organization/}, {@code /deal/}...), when the company's domain is known. */
    static Optional<String> recordUrl(Settings settings, String itemType, String id) {
        String page = PAGES.get(itemType);
        if (page == null) return Optional.empty();
        return settings.uiUrl().map(ui -> ui + "/" + page + "/" + CrmCall.encode(id));
    }

    private static void firstOf(JsonNode item, String list, String single, Map<String, String> fields) {
        JsonNode values = item.path(list);
        if (fields.containsKey(single) || !values.isArray() || values.isEmpty()) return;
        JsonNode first = values.get(0);
        JsonNode value = first.isObject() ? first.path("value") : first;
        if (value.isValueNode() && !value.isNull()) fields.put(single, value.asText());
    }

    // --- schema -------------------------------------------------------------------------------

    /** Pipedrive's item types have no list endpoint: the fixed set, each with its v1 field list. */
    private static final List<CrmObject> OBJECTS = List.of(new CrmObject("persons", "People"),
            new CrmObject("organizations", "Organizations"), new CrmObject("deals", "Deals"), new CrmObject("products", "Products"));
    private static final Map<String, String> FIELD_LISTS = Map.of("persons", "personFields", "organizations", "organizationFields",
            "deals", "dealFields", "products", "productFields");
    static final int FIELDS_PER_PAGE = 500;
    static final int MAX_FIELD_PAGES = 10;

    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return CompletableFuture.completedFuture(OBJECTS);
    }

    /**
     * {@code GET /v1/{item}Fields?start=S&limit=500}, page after page while
     * {@code more_items_in_collection}: {@code key}, {@code name}, {@code field_type} and
     * {@code filtering_allowed} of each, all within the CRM's timeout.
     */
    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        String list = FIELD_LISTS.get(object);
        if (list == null) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG,
                    "no fields for object " + object + ": Pipedrive's item types are persons, organizations, deals and products"));
        }
        return fieldPage(list, 0, new ArrayList<>(), spec.timeout(), 1);
    }

    private CompletableFuture<List<CrmField>> fieldPage(String list, int start, List<CrmField> fields, Duration budget, int page) {
        CrmCall call = CrmCall.get(settings.baseUrl() + "/v1/" + list,
                CrmCall.ordered("start", String.valueOf(start), "limit", String.valueOf(FIELDS_PER_PAGE))).header("x-api-token", settings.apiToken());
        long sent = context.ticker().read();
        return http.send(call, budget, LookupRequest.NO_TRACE).thenCompose(response -> {
            JsonNode reply = http.json(http.requireSuccess(response));
            if (!reply.isObject()) throw http.failure(CrmException.Kind.BAD_RESPONSE, list + " reply is not a JSON object");
            if (!reply.path("success").asBoolean(true)) throw refusal(reply);
            JsonNode data = reply.path("data");
            if (!data.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, list + " reply has no data list");
            for (JsonNode field : data) {
                String key = field.path("key").asText("");
                if (!key.isEmpty()) {
                    fields.add(new CrmField(key, field.path("name").asText(""), field.path("field_type").asText(""),
                            field.path("filtering_allowed").asBoolean(true), true));
                }
            }
            JsonNode additional = reply.path("additional_data");
            JsonNode paging = additional.has("pagination") ? additional.path("pagination") : additional;
            if (!paging.path("more_items_in_collection").asBoolean(false) || page >= MAX_FIELD_PAGES || data.isEmpty()) {
                return CompletableFuture.completedFuture(List.copyOf(fields));
            }
            int next = paging.path("next_start").asInt(start + data.size());
            return fieldPage(list, next, fields, budget.minus(context.since(sent)), page + 1);
        });
    }

    // --- writes -------------------------------------------------------------------------------

    /** Item types the v2 search finds by a custom field's value: where a key field is looked up before a create. */
    static final java.util.Set<String> SEARCHABLE = java.util.Set.of("persons", "organizations", "deals", "products", "leads");
    /** The field of an activity that names the item a call log is on. */
    private static final Map<String, String> ACTIVITY_LINKS = Map.of("persons", "person_id", "organizations", "org_id", "deals", "deal_id");
    private static final Pattern ITEM_ID = Pattern.compile("[0-9]{1,18}");
    /** Activities of one item read when looking for a keyed call log (Pipedrive's page limit). */
    static final int ACTIVITIES_PAGE = 500;

    @Override
    public java.util.Set<WriteKind> writeKinds() {
        return WriteKind.ALL;
    }

    /**
     * An update always; a create or call log when {@code keyField} holds the call key and can be looked up first: a
     * create of an item type the search covers (a custom field), a call log (an activity text field, read back from
     * the item's activities).
     */
    @Override
    public boolean retrySafe(CrmWrite write) {
        if (write instanceof CrmWrite.Create && !SEARCHABLE.contains(write.object())) return false; // no search finds what a retry looks for
        return write.retrySafeByKeyField();
    }

    /**
     * Create: {@code POST /v1/{items}}, with a key field after a v2 search of the call key in custom fields. Update:
     * {@code PUT /v1/{items}/{id}}. Call log: {@code POST /v1/activities} of type call, done, on the item; with a key
     * field after reading the item's done activities for one holding the call key. Pipedrive has no idempotency key
     * nor upsert, so a lookup before the create is all there is (two retries racing could both miss).
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        CrmWrite write = request.write();
        if (!OBJECT.matcher(write.object()).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "object is not a Pipedrive item type: " + write.object()));
        }
        long start = context.ticker().read();
        try {
            if (write instanceof CrmWrite.Update update) {
                CrmCall put = CrmCall.json("PUT", URI.create(settings.baseUrl() + "/v1/" + update.object() + "/" + CrmCall.encode(update.recordId())),
                        update.fields());
                return send(put, request, start).thenApply(data -> made(update.object(), data, false));
            }
            if (write instanceof CrmWrite.Create create) return create(create, request, start);
            return logCall((CrmWrite.LogCall) write, request, start);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<WriteResult> create(CrmWrite.Create create, WriteRequest request, long start) {
        Map<String, Object> item = new LinkedHashMap<>(create.fields());
        create.keyField().ifPresent(key -> item.put(key, create.callKey()));
        CrmCall post = CrmCall.postJson(URI.create(settings.baseUrl() + "/v1/" + create.object()), item);
        if (create.keyField().isEmpty()) return send(post, request, start).thenApply(data -> made(create.object(), data, false));
        if (!SEARCHABLE.contains(create.object())) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "key-field needs an item type Pipedrive searches: "
                    + String.join(", ", new java.util.TreeSet<>(SEARCHABLE))));
        }
        CrmCall search = CrmCall.get(settings.baseUrl() + "/api/v2/" + create.object() + "/search", CrmCall.ordered("term", create.callKey(),
                "fields", "custom_fields", "exact_match", "true", "limit", "1"));
        return send(search, request, start).thenCompose(data -> {
            JsonNode found = data.path("items").path(0).path("item");
            if (found.isObject()) return CompletableFuture.completedFuture(made(create.object(), found, true));
            return send(post, request, start).thenApply(made -> made(create.object(), made, false));
        });
    }

    private CompletableFuture<WriteResult> logCall(CrmWrite.LogCall log, WriteRequest request, long start) {
        String link = ACTIVITY_LINKS.get(log.object());
        if (link == null || !ITEM_ID.matcher(log.recordId()).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG,
                    "a call log goes on a person, organization or deal by its numeric id, not " + log.object() + " " + log.recordId()));
        }
        Map<String, Object> activity = activity(log, link);
        CrmCall post = CrmCall.postJson(URI.create(settings.baseUrl() + "/v1/activities"), activity);
        if (log.keyField().isEmpty()) return send(post, request, start).thenApply(data -> made("activities", data, false));
        String key = log.keyField().get();
        CrmCall earlier = CrmCall.get(settings.baseUrl() + "/v1/" + log.object() + "/" + log.recordId() + "/activities",
                CrmCall.ordered("done", "1", "start", "0", "limit", String.valueOf(ACTIVITIES_PAGE)));
        return send(earlier, request, start).thenCompose(activities -> {
            for (JsonNode done : activities) {
                if (done.path(key).asText("").equals(log.callKey())) return CompletableFuture.completedFuture(made("activities", done, true));
            }
            return send(post, request, start).thenApply(data -> made("activities", data, false));
        });
    }

    /** A done call activity on the item, due when the call came in (UTC), with the route's fields over these and the call key. */
    static Map<String, Object> activity(CrmWrite.LogCall log, String link) {
        java.time.ZonedDateTime started = log.call().started().atZone(java.time.ZoneOffset.UTC);
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("subject", log.subject());
        activity.put("type", "call");
        activity.put("done", 1);
        activity.put("due_date", started.format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE));
        activity.put("due_time", started.format(java.time.format.DateTimeFormatter.ofPattern("HH:mm")));
        activity.put(link, Long.parseLong(log.recordId()));
        activity.put("note", log.call().describe());
        activity.putAll(log.fields());
        log.keyField().ifPresent(key -> activity.put(key, log.callKey()));
        return activity;
    }

    private WriteResult made(String itemType, JsonNode item, boolean earlier) {
        String id = item.path("id").asText("");
        if (id.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no item id");
        return new WriteResult(itemType, id, recordUrl(settings, itemType, id), earlier);
    }

    /** {@code call} with the token, within what is left of the write's budget: the 2xx reply's {@code data}. */
    private CompletableFuture<JsonNode> send(CrmCall call, WriteRequest request, long start) {
        return http.send(call.header("x-api-token", settings.apiToken()), request.budget().minus(context.since(start)), request.trace(),
                request.abort()).thenApply(response -> {
                    JsonNode reply = http.json(http.requireSuccess(response));
                    if (!reply.isObject()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply is not a JSON object");
                    if (!reply.path("success").asBoolean(true)) throw refusal(reply);
                    return reply.path("data");
                });
    }
}
