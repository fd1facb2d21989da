package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

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

    static final CrmKey<URI> BASE_URL = CrmKey.optional("base-url", KeyParsers.credentialUrl());
    static final CrmKey<String> SUBDOMAIN = CrmKey.optional("subdomain",
            KeyParsers.matching("[a-z0-9][a-z0-9-]{0,62}", "expected a Zendesk subdomain such as acme (of acme.zendesk.com)"));
    static final CrmKey<String> AUTH_SCHEME = CrmKey.withDefault("auth-scheme", KeyParsers.oneOf("basic", "bearer"), "basic");
    static final CrmKey<String> ENDPOINT = CrmKey.withDefault("endpoint", KeyParsers.oneOf("users", "search"), "users");
    static final CrmKey<Boolean> PHONE_WILDCARD = CrmKey.withDefault("phone-wildcard", KeyParsers.flag(), true);
    static final CrmKey<String> EMAIL = CrmKey.optional("auth.email", KeyParsers.text());
    static final CrmKey<String> API_TOKEN = CrmKey.required("auth.api-token", KeyParsers.text()).secret();

    static final CrmType<Settings> TYPE = CrmType.of("zendesk", Settings.class, Settings::of, ZendeskCrm::new,
            BASE_URL, SUBDOMAIN, AUTH_SCHEME, ENDPOINT, PHONE_WILDCARD, EMAIL, API_TOKEN);

    /**
     * A Zendesk entry, read: {@code baseUrl} is {@code base-url} or {@code https://{subdomain}.zendesk.com};
     * {@code authorization} the header every request carries (Basic needs {@code auth.email}).
     */
    record Settings(String baseUrl, String authorization, boolean unifiedSearch, boolean phoneWildcard) {

        static Settings of(CrmValues values) {
            if (!values.has(BASE_URL) && !values.has(SUBDOMAIN)) values.missing(BASE_URL, "unless subdomain is set");
            String base = values.find(BASE_URL).map(URI::toString)
                    .orElseGet(() -> "https://" + values.find(SUBDOMAIN).orElse("") + ".zendesk.com");
            boolean bearer = values.get(AUTH_SCHEME).equals("bearer");
            if (!bearer && !values.has(EMAIL)) values.missing(EMAIL, "unless auth-scheme is bearer");
            String token = values.get(API_TOKEN);
            String authorization = bearer ? "Bearer " + token : "Basic " + Base64.getEncoder()
                    .encodeToString((values.find(EMAIL).orElse("") + "/token:" + token).getBytes(StandardCharsets.UTF_8));
            return new Settings(CrmCall.withoutTrailingSlash(base), authorization, values.get(ENDPOINT).equals("search"),
                    values.get(PHONE_WILDCARD));
        }
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmHttp http;
    private final CrmContext context;

    ZendeskCrm(CrmSpec spec, Settings settings, CrmContext context) {
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
        if (!ZendeskQuery.isField(request.field())) return failed(CrmException.Kind.CONFIG, "not a Zendesk search field: " + request.field());
        String type = type(request.object());
        if (type == null) return failed(CrmException.Kind.CONFIG, "object must be users, organizations or tickets: " + request.object());
        if (request.value().length() > MAX_VALUE_LENGTH || ZendeskQuery.phrase(request.value()).isEmpty()) {
            return CompletableFuture.completedFuture(LookupResult.none());
        }
        try {
            String term = ZendeskQuery.term(request.field(), request.value(), request.phone(), settings.phoneWildcard());
            boolean usersEndpoint = type.equals("user") && !settings.unifiedSearch();
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("query", usersEndpoint ? term : "type:" + type + ' ' + term);
            parameters.put("per_page", String.valueOf(Math.min(request.limit(), MAX_PER_PAGE)));
            String path = usersEndpoint ? "/api/v2/users/search.json" : "/api/v2/search.json";
            CrmCall call = CrmCall.get(settings.baseUrl() + path, parameters).header("Authorization", settings.authorization());
            String list = usersEndpoint ? "users" : "results";
            return http.sendForJson(call, request).thenApply(reply -> read(reply, list, request.limit(), type));
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
    private LookupResult read(JsonNode reply, String list, int limit, String type) {
        JsonNode found = reply.path(list);
        if (!reply.isObject() || !found.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no " + list + " list");
        var records = CrmRecords.flattenAll(found, limit).stream()
                .map(record -> record.linkedBy("id", id -> recordUrl(settings.baseUrl(), type, id)))
                .toList();
        return new LookupResult(records, reply.path("count").asInt(found.size()));
    }

    /** {@code {base}/agent/users/{id}} ({@code /agent/organizations/}, {@code /agent/tickets/}): the Agent Workspace page. */
    static Optional<String> recordUrl(String baseUrl, String type, String id) {
        return Optional.of(baseUrl + "/agent/" + type + "s/" + CrmCall.encode(id));
    }

    private <T> CompletableFuture<T> failed(CrmException.Kind kind, String detail) {
        return CompletableFuture.failedFuture(http.failure(kind, detail));
    }

    // --- writes -------------------------------------------------------------------------------

    /**
     * Create: a ticket is {@code POST /api/v2/tickets} with {@code Idempotency-Key} = the call key (Zendesk
     * answers a retry with the ticket it made); a user or organization with {@code key-field: external_id} is
     * {@code POST /api/v2/{users|organizations}/create_or_update} with {@code external_id} = the call key (a
     * retry finds it and answers 200), without a key field a plain {@code POST /api/v2/{users|organizations}}.
     * Update: {@code PUT /api/v2/{type}s/{id}}. Log-call: a ticket for the matched user (its requester) or
     * organization, the call told in a private comment (a voice comment needs a recording), with the call key
     * as {@code Idempotency-Key}. Field names with dots nest ({@code user_fields.tier}, {@code comment.body});
     * {@code custom_field_{id}}, as {@link #fields} lists ticket fields, goes into {@code custom_fields}.
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        try {
            CrmWrite write = request.write();
            String type = type(write.object());
            if (type == null) return failed(CrmException.Kind.CONFIG, "object must be users, organizations or tickets: " + write.object());
            if (write instanceof CrmWrite.Update update) {
                CrmCall call = CrmCall.json("PUT", URI.create(settings.baseUrl() + "/api/v2/" + type + "s/" + CrmCall.encode(update.recordId())),
                        Map.of(type, body(update.fields())));
                return send(call, request).thenApply(response -> written(response, type, update.recordId(), false));
            }
            if (write instanceof CrmWrite.LogCall logCall) return logCall(logCall, type, request);
            return create((CrmWrite.Create) write, type, request);
        } catch (RuntimeException e) {
            // e.g. a dotted name under a plain one (tags and tags.x): no JSON holds both
            return CompletableFuture.failedFuture(e instanceof CrmException ? e
                    : http.failure(CrmException.Kind.CONFIG, "fields cannot be written as Zendesk JSON: " + e.getMessage()));
        }
    }

    @Override
    public Set<WriteKind> writeKinds() {
        return WriteKind.ALL;
    }

    /** Tickets and call logs always (the idempotency key); users and organizations with {@code key-field: external_id}. */
    @Override
    public boolean retrySafe(CrmWrite write) {
        if (!(write instanceof CrmWrite.Create create)) return true;
        return "ticket".equals(type(create.object())) || create.keyField().filter(EXTERNAL_ID::equals).isPresent();
    }

    private static final String EXTERNAL_ID = "external_id";

    private CompletableFuture<WriteResult> create(CrmWrite.Create create, String type, WriteRequest request) {
        Map<String, String> fields = new LinkedHashMap<>(create.fields());
        create.keyField().ifPresent(key -> fields.put(key, create.callKey()));
        if (type.equals("ticket")) return ticket(body(fields), request, create.callKey());
        boolean upsert = create.keyField().isPresent();
        if (upsert && !create.keyField().get().equals(EXTERNAL_ID)) {
            return failed(CrmException.Kind.CONFIG, "Zendesk finds " + type + "s again only by external_id, not " + create.keyField().get());
        }
        String path = "/api/v2/" + type + "s" + (upsert ? "/create_or_update" : "");
        CrmCall call = CrmCall.postJson(URI.create(settings.baseUrl() + path), Map.of(type, body(fields)));
        // create_or_update answers 201 for a new record, 200 for the one an earlier attempt made
        return send(call, request).thenApply(response -> written(response, type, "", upsert && response.statusCode() == 200));
    }

    private CompletableFuture<WriteResult> logCall(CrmWrite.LogCall logCall, String type, WriteRequest request) {
        if (type.equals("ticket")) return failed(CrmException.Kind.CONFIG, "a call is logged on a user or an organization, not a ticket");
        CrmWrite.CallFacts call = logCall.call();
        ObjectNode ticket = CrmHttp.JSON.createObjectNode();
        ticket.set(type.equals("user") ? "requester_id" : "organization_id", idNode(logCall.recordId()));
        ticket.put("subject", logCall.subject());
        ObjectNode comment = ticket.putObject("comment");
        comment.put("body", "Inbound call from " + call.callerId() + " to " + call.dnid() + " at " + call.started()
                + (call.uniqueid().isEmpty() ? "" : " (Asterisk " + call.uniqueid() + ")"));
        comment.put("public", false);
        Map<String, String> fields = new LinkedHashMap<>(logCall.fields());
        logCall.keyField().ifPresent(key -> fields.put(key, logCall.callKey()));
        merge(ticket, body(fields));
        return ticket(ticket, request, logCall.callKey());
    }

    /** {@code POST /api/v2/tickets} once per call key: a retry gets the ticket made before ({@code x-idempotency-lookup: hit}). */
    private CompletableFuture<WriteResult> ticket(ObjectNode ticket, WriteRequest request, String callKey) {
        CrmCall call = CrmCall.postJson(URI.create(settings.baseUrl() + "/api/v2/tickets"), Map.of("ticket", ticket))
                .header("Idempotency-Key", callKey);
        return send(call, request).thenApply(response -> written(response, "ticket", "",
                "hit".equalsIgnoreCase(response.headers().firstValue("x-idempotency-lookup").orElse(""))));
    }

    private CompletableFuture<HttpResponse<String>> send(CrmCall call, WriteRequest request) {
        return http.send(call.header("Authorization", settings.authorization()), request.budget(), request.trace(), request.abort());
    }

    /**
     * {@code {"user":{"id":35436,...}}}: the record ({@code knownId} when the reply names none) and its page; a
     * refusal with Zendesk's error code.
     */
    private WriteResult written(HttpResponse<String> response, String type, String knownId, boolean earlier) {
        if (response.statusCode() / 100 != 2) {
            CrmException failure = http.statusFailure(response);
            String error = errorCode(response);
            throw error.isEmpty() ? failure : failure.withMessage(failure.getMessage() + " " + error);
        }
        String id = http.json(response).path(type).path("id").asText(knownId);
        if (id.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no " + type + ".id");
        return new WriteResult(type + "s", id, recordUrl(settings.baseUrl(), type, id), earlier);
    }

    /** Zendesk's {@code error} code of a refusal ({@code RecordInvalid}), when it is a plain one. */
    private String errorCode(HttpResponse<String> response) {
        try {
            String error = http.json(response).path("error").asText("");
            return error.matches("[A-Za-z_]{1,40}") ? error : "";
        } catch (CrmException notJson) {
            return "";
        }
    }

    /** The fields as Zendesk's JSON: {@code a.b} nested, {@code custom_field_N} as {@code custom_fields:[{id:N,value}]}. */
    static ObjectNode body(Map<String, String> fields) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        fields.forEach((name, value) -> {
            java.util.regex.Matcher custom = CUSTOM_FIELD.matcher(name);
            if (custom.matches()) {
                body.withArrayProperty("custom_fields").addObject().put("id", Long.parseLong(custom.group(1))).put("value", value);
                return;
            }
            ObjectNode parent = body;
            String[] path = name.split("\\.");
            for (int k = 0; k < path.length - 1; k++) parent = parent.withObjectProperty(path[k]);
            if (parent.has(path[path.length - 1])) throw new IllegalArgumentException(name + " is written twice");
            parent.put(path[path.length - 1], value);
        });
        return body;
    }

    private static final Pattern CUSTOM_FIELD = Pattern.compile("custom_field_(\\d{1,18})");

    /** {@code more} laid over {@code into}, nested objects merged, so a field can set {@code comment.public}. */
    private static void merge(ObjectNode into, ObjectNode more) {
        more.fields().forEachRemaining(entry -> {
            JsonNode held = into.get(entry.getKey());
            if (held instanceof ObjectNode heldObject && entry.getValue() instanceof ObjectNode moreObject) merge(heldObject, moreObject);
            else into.set(entry.getKey(), entry.getValue());
        });
    }

    /** A Zendesk id as the number it is (a matched record's id is digits), anything else as text for Zendesk to refuse. */
    private static JsonNode idNode(String id) {
        return id.matches("\\d{1,18}") ? CrmHttp.JSON.getNodeFactory().numberNode(Long.parseLong(id)) : CrmHttp.JSON.getNodeFactory().textNode(id);
    }

    // --- schema -------------------------------------------------------------------------------

    static final int MAX_SCHEMA_PAGES = 10;
    private static final Pattern CUSTOM_OBJECT = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final List<CrmObject> STANDARD_OBJECTS = List.of(new CrmObject("users", "Users"),
            new CrmObject("organizations", "Organizations"), new CrmObject("tickets", "Tickets"));

    /**
     * The attributes every user / organization has, which {@code user_fields} and
     * {@code organization_fields} (custom fields only) leave out: name, label, type and whether the
     * search API takes it as a keyword.
     */
    private static final List<CrmField> USER_ATTRIBUTES = List.of(
            new CrmField("id", "ID", "integer", false, true), new CrmField("name", "Name", "string", true, true),
            new CrmField("email", "Email", "string", true, true), new CrmField("phone", "Phone", "string", true, true),
            new CrmField("external_id", "External ID", "string", true, true), new CrmField("role", "Role", "string", true, true),
            new CrmField("organization_id", "Organization", "integer", false, true), new CrmField("tags", "Tags", "array", true, true),
            new CrmField("notes", "Notes", "string", true, true), new CrmField("details", "Details", "string", true, true),
            new CrmField("time_zone", "Time zone", "string", false, true), new CrmField("locale", "Language", "string", false, true),
            new CrmField("created_at", "Created", "date", false, true), new CrmField("updated_at", "Updated", "date", false, true));
    private static final List<CrmField> ORGANIZATION_ATTRIBUTES = List.of(
            new CrmField("id", "ID", "integer", false, true), new CrmField("name", "Name", "string", true, true),
            new CrmField("external_id", "External ID", "string", true, true), new CrmField("domain_names", "Domains", "array", false, true),
            new CrmField("tags", "Tags", "array", true, true), new CrmField("notes", "Notes", "string", true, true),
            new CrmField("details", "Details", "string", true, true), new CrmField("group_id", "Group", "integer", false, true),
            new CrmField("created_at", "Created", "date", false, true), new CrmField("updated_at", "Updated", "date", false, true));
    /** Ticket system fields by {@code type} in {@code ticket_fields}, as the ticket JSON names them. */
    private static final Map<String, String> TICKET_ATTRIBUTES = Map.of("tickettype", "type", "group", "group_id",
            "assignee", "assignee_id", "custom_status", "custom_status_id");

    /** The fixed users, organizations and tickets, then {@code GET /api/v2/custom_objects} (none where the account has them off: 404). */
    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return schemaList("/api/v2/custom_objects", "custom_objects", true).thenApply(custom -> {
            List<CrmObject> objects = new ArrayList<>(STANDARD_OBJECTS);
            for (JsonNode object : custom) {
                String key = object.path("key").asText("");
                if (!key.isEmpty()) objects.add(new CrmObject(key, object.path("title_pluralized").asText(object.path("title").asText(""))));
            }
            return List.copyOf(objects);
        });
    }

    /**
     * Users and organizations: their attributes, then each active custom field twice, as
     * {@code user_fields.{key}} (what a record holds: retrieve and compare it) and as {@code {key}}
     * (what the search takes: match on it). Tickets: {@code ticket_fields} (system and custom; a custom
     * one is {@code custom_field_{id}}, as the search names it). A custom object: its {@code fields}.
     */
    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        String type = type(object);
        if ("user".equals(type)) return customised(USER_ATTRIBUTES, "/api/v2/user_fields", "user_fields");
        if ("organization".equals(type)) return customised(ORGANIZATION_ATTRIBUTES, "/api/v2/organization_fields", "organization_fields");
        if ("ticket".equals(type)) return schemaList("/api/v2/ticket_fields", "ticket_fields", false).thenApply(ZendeskCrm::ticketFields);
        if (!CUSTOM_OBJECT.matcher(object).matches()) return failedSchema("not a Zendesk object: " + object);
        return schemaList("/api/v2/custom_objects/" + object + "/fields", "custom_object_fields", false)
                .thenApply(fields -> {
                    List<CrmField> found = new ArrayList<>();
                    for (JsonNode field : fields) {
                        if (field.path("active").asBoolean(true) && !field.path("key").asText("").isEmpty()) {
                            found.add(new CrmField(field.path("key").asText(), field.path("title").asText(""), field.path("type").asText(""), true, true));
                        }
                    }
                    return List.copyOf(found);
                });
    }

    private CompletableFuture<List<CrmField>> customised(List<CrmField> attributes, String path, String list) {
        return schemaList(path, list, false).thenApply(custom -> {
            List<CrmField> fields = new ArrayList<>(attributes);
            for (JsonNode field : custom) {
                String key = field.path("key").asText("");
                if (key.isEmpty() || !field.path("active").asBoolean(true)) continue;
                String title = field.path("title").asText("");
                String fieldType = field.path("type").asText("");
                fields.add(new CrmField(list + '.' + key, title, fieldType, false, true));
                fields.add(new CrmField(key, title, fieldType, true, true));
            }
            return List.copyOf(fields);
        });
    }

    private static List<CrmField> ticketFields(List<JsonNode> ticketFields) {
        List<CrmField> fields = new ArrayList<>();
        for (JsonNode field : ticketFields) {
            if (!field.path("active").asBoolean(true)) continue;
            String fieldType = field.path("type").asText("");
            boolean system = !field.path("removable").asBoolean(true);
            String name = system ? TICKET_ATTRIBUTES.getOrDefault(fieldType, fieldType) : "custom_field_" + field.path("id").asText("");
            if (!name.isEmpty() && !name.equals("custom_field_")) fields.add(new CrmField(name, field.path("title").asText(""), fieldType, true, true));
        }
        return List.copyOf(fields);
    }

    /**
     * The {@code list} entries of {@code GET {path}} and of each {@code next_page} on this Zendesk (at
     * most {@value #MAX_SCHEMA_PAGES} pages), within the CRM's timeout; with {@code noneWhenMissing} a
     * 404 is an empty list.
     */
    private CompletableFuture<List<JsonNode>> schemaList(String path, String list, boolean noneWhenMissing) {
        return schemaPage(URI.create(settings.baseUrl() + path), list, noneWhenMissing, new ArrayList<>(), spec.timeout(), 1);
    }

    private CompletableFuture<List<JsonNode>> schemaPage(URI uri, String list, boolean noneWhenMissing, List<JsonNode> entries,
            Duration budget, int page) {
        long sent = context.ticker().read();
        CrmCall call = CrmCall.get(uri).header("Authorization", settings.authorization());
        return http.send(call, budget, LookupRequest.NO_TRACE).thenCompose(response -> {
            int status = response.statusCode();
            if (status == 404 && noneWhenMissing) return CompletableFuture.completedFuture(List.<JsonNode>of());
            if (status == 404) throw http.failure(CrmException.Kind.HTTP_STATUS, "HTTP 404 for " + uri.getRawPath() + ": no such object");
            JsonNode reply = http.json(http.requireSuccess(response));
            JsonNode found = reply.path(list);
            if (!found.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no " + list + " list");
            found.forEach(entries::add);
            String next = reply.path("next_page").asText("");
            if (next.isEmpty() || !next.startsWith(settings.baseUrl() + "/") || page >= MAX_SCHEMA_PAGES) {
                return CompletableFuture.completedFuture(List.copyOf(entries));
            }
            return schemaPage(URI.create(next), list, noneWhenMissing, entries, budget.minus(context.since(sent)), page + 1);
        });
    }

    private <T> CompletableFuture<T> failedSchema(String detail) {
        return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, detail));
    }
}
