package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Vtiger (type {@code vtiger}), the webservice API at {@code {base-url}/webservice.php}:
 * {@code getchallenge} gives a token, {@code login} with {@code accessKey = md5(token + access key)}
 * gives a {@code sessionName}, and {@code query} runs a VTQL select built by {@link VtigerQuery}.
 * One session serves all calls for {@code session-lifetime} (Vtiger's default idle timeout is 30
 * minutes; {@code expireTime} in the challenge is the challenge's own), and once more after
 * {@code INVALID_SESSIONID}. The query asks one row more than the limit, Vtiger giving no total, so
 * several matches show even when one record is wanted. The session travels in the URL, so it is
 * masked in traces.
 */
final class VtigerCrm implements CrmConnector {

    static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofMinutes(30);

    static final CrmKey<URI> BASE_URL = CrmKey.required("base-url", KeyParsers.credentialUrl());
    static final CrmKey<Duration> SESSION_LIFETIME = CrmKey.withDefault("session-lifetime", KeyParsers.duration(Duration.ofHours(24)),
            DEFAULT_SESSION_LIFETIME);
    static final CrmKey<String> USERNAME = CrmKey.required("auth.username", KeyParsers.text());
    static final CrmKey<String> ACCESS_KEY = CrmKey.required("auth.access-key", KeyParsers.text()).secret();

    static final CrmType<Settings> TYPE = CrmType.of("vtiger", Settings.class, Settings::of, VtigerCrm::new,
            BASE_URL, SESSION_LIFETIME, USERNAME, ACCESS_KEY);

    /** A Vtiger entry, read: {@code endpoint} is {@code {base-url}/webservice.php}. */
    record Settings(String endpoint, Duration sessionLifetime, String username, String accessKey, String uiUrl) {

        static Settings of(CrmValues values) {
            String base = CrmCall.withoutTrailingSlash(values.get(BASE_URL).toString());
            return new Settings(base + "/webservice.php", values.get(SESSION_LIFETIME), values.get(USERNAME), values.get(ACCESS_KEY), base);
        }
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens sessions;
    private final String endpoint; // {base-url}/webservice.php

    VtigerCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.settings = settings;
        this.context = context;
        this.http = new CrmHttp(spec, context);
        this.sessions = AccessTokens.shared(spec.name(), this::login, context);
        this.endpoint = settings.endpoint();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        try {
            List<String> names = new ArrayList<>(request.fields());
            names.add(0, request.field());
            names.add(0, request.object());
            for (String name : names) {
                if (!VtigerQuery.isIdentifier(name)) {
                    return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a Vtiger module or field name: " + name));
                }
            }
            List<String> values = request.phone().map(p -> PhoneNumbers.variants(request.value(), p)).orElse(List.of(request.value()))
                    .stream().filter(VtigerQuery::isSafeValue).toList();
            if (values.isEmpty()) {
                request.trace().accept("vtiger: value has characters a Vtiger query cannot carry safely: not asked, no match");
                return CompletableFuture.completedFuture(LookupResult.none());
            }
            String query = VtigerQuery.select(request.object(), request.field(), values, request.fields(), request.limit() + 1);
            long start = context.ticker().read();
            return sessions.withToken(session -> ask(query, session.value(), request.budget().minus(context.since(start)), request.trace(),
                            request.abort()), VtigerCrm::invalidSession)
                    .thenApply(reply -> read(reply, request.limit(), request.object()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code GET operation=query} within {@code budget}, the session masked in the trace. */
    private CompletableFuture<JsonNode> ask(String query, String session, Duration budget, java.util.function.Consumer<String> trace, LookupAbort abort) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("operation", "query");
        parameters.put("sessionName", session);
        parameters.put("query", query);
        return http.send(CrmCall.get(endpoint, parameters), budget, line -> trace.accept(Secrets.mask(line, java.util.Set.of(session))), abort)
                .thenApply(response -> http.json(http.requireSuccess(response)));
    }

    private static boolean invalidSession(JsonNode reply) {
        return !reply.path("success").asBoolean(false) && "INVALID_SESSIONID".equals(reply.path("error").path("code").asText());
    }

    private LookupResult read(JsonNode reply, int limit, String module) {
        JsonNode rows = result(reply, "query");
        if (!rows.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "query result is not a list");
        // A query answers every row's webservice id (12x34: module 12, record 34), selected or not.
        List<CrmRecord> records = CrmRecords.flattenAll(rows, limit).stream()
                .map(record -> record.linkedBy("id", id -> recordUrl(settings.uiUrl(), module, id)))
                .toList();
        return new LookupResult(records, rows.size());
    }

    /** {@code {base}/index.php?module=Contacts&view=Detail&record=34}: the record number after the {@code x} of its webservice id. */
    static Optional<String> recordUrl(String uiUrl, String module, String id) {
        String record = id.substring(id.indexOf('x') + 1);
        return Optional.of(uiUrl + "/index.php?module=" + CrmCall.encode(module) + "&view=Detail&record=" + CrmCall.encode(record));
    }

    /** {@code result} of a {@code success:true} reply; {@code success:false} as its fitting failure. */
    private JsonNode result(JsonNode reply, String operation) {
        if (!reply.isObject() || !reply.path("success").isBoolean()) {
            throw http.failure(CrmException.Kind.BAD_RESPONSE, operation + " reply has no success flag");
        }
        if (reply.path("success").asBoolean()) return reply.path("result");
        String code = reply.path("error").path("code").asText("UNKNOWN");
        String message = reply.path("error").path("message").asText("");
        throw http.failure(kindOf(code), operation + " failed: " + code + (message.isEmpty() ? "" : " (" + message + ")"));
    }

    static CrmException.Kind kindOf(String code) {
        if (code.contains("LIMIT") || code.contains("QUOTA")) return CrmException.Kind.RATE_LIMITED;
        switch (code) {
            case "INVALID_SESSIONID":
            case "INVALID_USER_CREDENTIALS":
            case "INVALID_AUTH_TOKEN":
            case "AUTHENTICATION_REQUIRED":
            case "ACCESS_DENIED":
                return CrmException.Kind.AUTH;
            case "INVALID_MODULE":
            case "QUERY_SYNTAX_ERROR":
            case "MANDATORY_FIELDS_MISSING":
                return CrmException.Kind.CONFIG;
            default:
                return CrmException.Kind.BAD_RESPONSE;
        }
    }

    // --- writes -------------------------------------------------------------------------------

    /**
     * Create: {@code POST operation=create} with {@code elementType} and the fields as the {@code element} JSON
     * ({@code assigned_user_id} the session's user unless set); update: {@code operation=revise}, the id and the
     * changed fields only (an {@code update} would blank the rest); log-call: an Event with {@code activitytype=Call},
     * held, at the call's time (UTC), linked by {@code contact_id} to a matched contact, by {@code parent_id} to any
     * other record. Vtiger has no idempotency key: with a key field the create keeps the call key's name-based UUID
     * there (VTQL has no escaping; a UUID needs none) and asks {@code operation=query} for it first.
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        try {
            CrmWrite write = request.write();
            List<String> names = new ArrayList<>(write.fields().keySet());
            names.add(write.object());
            write.keyField().ifPresent(names::add);
            for (String name : names) {
                if (!VtigerQuery.isIdentifier(name)) {
                    return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a Vtiger module or field name: " + name));
                }
            }
            long start = context.ticker().read();
            if (write instanceof CrmWrite.Update update) {
                Map<String, String> element = new LinkedHashMap<>(update.fields());
                element.put("id", update.recordId());
                return post("revise", element, Map.of(), request, start)
                        .thenApply(saved -> written(saved, update.object(), update.recordId(), false));
            }
            if (write instanceof CrmWrite.LogCall logCall) {
                return createOnce("Events", eventFields(logCall), logCall.keyField(), logCall.callKey(), request, start);
            }
            CrmWrite.Create create = (CrmWrite.Create) write;
            return createOnce(create.object(), create.fields(), create.keyField(), create.callKey(), request, start);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public java.util.Set<WriteKind> writeKinds() {
        return WriteKind.ALL;
    }

    /** An update always; a create or call log when its key field holds the call key to look for. */
    @Override
    public boolean retrySafe(CrmWrite write) {
        return write.retrySafeByKeyField();
    }

    /** The Event: a held call at the time it came in, on the matched record; the route's fields over these. */
    private static Map<String, String> eventFields(CrmWrite.LogCall logCall) {
        CrmWrite.CallFacts call = logCall.call();
        java.time.LocalDateTime started = java.time.LocalDateTime.ofInstant(call.started(), java.time.ZoneOffset.UTC);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("subject", logCall.subject());
        fields.put("activitytype", "Call");
        fields.put("eventstatus", "Held");
        fields.put("date_start", java.time.format.DateTimeFormatter.ISO_LOCAL_DATE.format(started));
        fields.put("time_start", java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").format(started));
        fields.put("due_date", fields.get("date_start"));
        fields.put("time_end", fields.get("time_start"));
        fields.put("duration_hours", "0");
        fields.put("duration_minutes", "0");
        fields.put(logCall.object().equals("Contacts") ? "contact_id" : "parent_id", logCall.recordId());
        fields.put("description", call.describe());
        fields.putAll(logCall.fields());
        return fields;
    }

    /** With a key field: the record that holds the call key's UUID if there is one (made by an earlier attempt), else a new one. */
    private CompletableFuture<WriteResult> createOnce(String module, Map<String, String> fields, Optional<String> keyField, String callKey,
            WriteRequest request, long start) {
        Map<String, String> element = new LinkedHashMap<>(fields);
        String key = CrmWrite.idOf(callKey);
        keyField.ifPresent(field -> element.put(field, key));
        Map<String, String> create = Map.of("elementType", module);
        if (keyField.isEmpty()) return post("create", element, create, request, start).thenApply(saved -> written(saved, module, "", false));
        String query = VtigerQuery.select(module, keyField.get(), List.of(key), List.of(keyField.get()), 1);
        return sessions.withToken(session -> ask(query, session.value(), request.budget().minus(context.since(start)), request.trace(), request.abort()),
                        VtigerCrm::invalidSession)
                .thenCompose(reply -> {
                    JsonNode earlier = result(reply, "query").path(0);
                    if (earlier.hasNonNull("id")) return CompletableFuture.completedFuture(written(earlier, module, "", true));
                    return post("create", element, create, request, start).thenApply(saved -> written(saved, module, "", false));
                });
    }

    /**
     * {@code POST operation={operation}} with the session, {@code element} as JSON ({@code assigned_user_id} the
     * session's user unless given) and {@code more} parameters, within what is left of the budget; its result.
     */
    private CompletableFuture<JsonNode> post(String operation, Map<String, String> element, Map<String, String> more, WriteRequest request, long start) {
        return sessions.withToken(session -> {
            Map<String, String> values = new LinkedHashMap<>(element);
            if (!operation.equals("revise")) session.extra("userId").ifPresent(user -> values.putIfAbsent("assigned_user_id", user));
            Map<String, String> form = new LinkedHashMap<>();
            form.put("operation", operation);
            form.put("sessionName", session.value());
            form.putAll(more);
            form.put("element", elementJson(values));
            return http.send(CrmCall.postForm(URI.create(endpoint), form), request.budget().minus(context.since(start)),
                            line -> request.trace().accept(Secrets.mask(line, java.util.Set.of(session.value()))), request.abort())
                    .thenApply(response -> http.json(http.requireSuccess(response)));
        }, VtigerCrm::invalidSession).thenApply(reply -> result(reply, operation));
    }

    private static String elementJson(Map<String, String> element) {
        try {
            return CrmHttp.JSON.writeValueAsString(element);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("element is not writable as JSON", e);
        }
    }

    /** The saved record's webservice id ({@code knownId} when the result names none) and its page. */
    private WriteResult written(JsonNode saved, String module, String knownId, boolean earlier) {
        String id = saved.path("id").asText(knownId);
        if (id.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "result has no id");
        return new WriteResult(module, id, recordUrl(settings.uiUrl(), module, id), earlier);
    }

    // --- schema -------------------------------------------------------------------------------

    /** {@code operation=listtypes}: {@code result.types}, labelled from {@code result.information}. */
    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return describe(CrmCall.ordered("operation", "listtypes"), "listtypes").thenApply(result -> {
            JsonNode types = result.path("types");
            if (!types.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "listtypes result has no types list");
            List<CrmObject> objects = new ArrayList<>();
            for (JsonNode type : types) {
                objects.add(new CrmObject(type.asText(), result.path("information").path(type.asText()).path("label").asText("")));
            }
            return List.copyOf(objects);
        });
    }

    /**
     * {@code operation=describe&elementType={Module}}: {@code result.fields} with their label and
     * {@code type.name}. Vtiger lists only fields the user's profile may see and has no filterable
     * flag; a module it does not know is its {@code INVALID_MODULE} (or {@code ACCESS_DENIED}) refusal.
     */
    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        if (!VtigerQuery.isIdentifier(object)) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a Vtiger module name: " + object));
        }
        return describe(CrmCall.ordered("operation", "describe", "elementType", object), "describe " + object).thenApply(result -> {
            JsonNode fields = result.path("fields");
            if (!fields.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "describe " + object + " result has no fields list");
            List<CrmField> found = new ArrayList<>();
            for (JsonNode field : fields) {
                String name = field.path("name").asText("");
                if (!name.isEmpty()) found.add(new CrmField(name, field.path("label").asText(""), field.path("type").path("name").asText(""), true, true));
            }
            return List.copyOf(found);
        });
    }

    /** A GET of {@code parameters} with the lookups' session (renewed once on INVALID_SESSIONID), within the CRM's timeout. */
    private CompletableFuture<JsonNode> describe(Map<String, String> parameters, String operation) {
        long start = context.ticker().read();
        return sessions.withToken(session -> {
            Map<String, String> withSession = new LinkedHashMap<>(parameters);
            withSession.put("sessionName", session.value());
            return http.send(CrmCall.get(endpoint, withSession), spec.timeout().minus(context.since(start)), LookupRequest.NO_TRACE)
                    .thenApply(response -> http.json(http.requireSuccess(response)));
        }, VtigerCrm::invalidSession).thenApply(reply -> result(reply, operation));
    }

    // --- session ------------------------------------------------------------------------------

    private CompletableFuture<AccessToken> login() {
        String username = settings.username();
        CrmCall challenge = CrmCall.get(endpoint, CrmCall.ordered("operation", "getchallenge", "username", username));
        return http.send(challenge, spec.timeout(), LookupRequest.NO_TRACE)
                .thenApply(response -> result(http.json(http.requireSuccess(response)), "getchallenge").path("token").asText(""))
                .thenCompose(token -> {
                    if (token.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "getchallenge reply has no token");
                    Map<String, String> form = new LinkedHashMap<>();
                    form.put("operation", "login");
                    form.put("username", username);
                    form.put("accessKey", accessKey(token, settings.accessKey()));
                    return http.send(CrmCall.postForm(URI.create(endpoint), form), spec.timeout(), LookupRequest.NO_TRACE);
                })
                .thenApply(response -> {
                    JsonNode login = result(http.json(http.requireSuccess(response)), "login");
                    String session = login.path("sessionName").asText("");
                    if (session.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "login reply has no sessionName");
                    // the user's webservice id (19x1): whom a record crmroute creates is assigned to, unless the route says
                    String userId = login.path("userId").asText("");
                    return new AccessToken(session, context.clock().instant().plus(settings.sessionLifetime()),
                            userId.isEmpty() ? Map.of() : Map.of("userId", userId));
                });
    }

    /** {@code md5(token + accessKey)} in lowercase hex, as Vtiger's login expects. */
    static String accessKey(String challengeToken, String accessKey) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((challengeToken + accessKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
