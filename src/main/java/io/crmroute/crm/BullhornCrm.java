package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.concurrent.Futures;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Bullhorn (type {@code bullhorn}). The OAuth authorization-code step is interactive, so crmroute
 * starts from a refresh token: {@code POST {token-url}} (grant_type=refresh_token) gives an access
 * token and a new refresh token (Bullhorn refresh tokens are single-use, so the newest is kept, with the
 * session in the {@link TokenStore}: with several nodes in PostgreSQL, so a restart or another node goes on
 * from it; when the stored one is refused, the configured one is tried once, for an admin who replaced it),
 * then {@code GET {login-url}?version=*&access_token=..} gives the session: {@code BhRestToken} and
 * {@code restUrl} (a 307 to the user's data centre within the same domain is followed, by
 * {@link CrmHttp#followingRedirectsWithinDomain}; no other redirect is). That session is
 * the {@link AccessTokens} token, shared by all lookups, renewed after {@code session-ttl} and
 * once on a 401. Lookups are Lucene searches,
 * {@code GET {restUrl}search/{object}?query=phone:"..."&fields=..&count=N&start=0}, built by
 * {@link BullhornQuery}.
 */
final class BullhornCrm implements CrmConnector {

    static final String DEFAULT_TOKEN_URL = "https://auth.bullhornstaffing.com/oauth/token";
    static final String DEFAULT_REST_BASE = "https://rest.bullhornstaffing.com";
    static final Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(10);
    static final String DEFAULT_UI_URL = "https://www.bullhornstaffing.com";
    static final int MAX_COUNT = 500;
    static final int MAX_VARIANTS = 5;
    static final int MAX_VALUE_LENGTH = 256;
    private static final Pattern ENTITY = Pattern.compile("[A-Za-z]{1,64}");
    private static final Pattern FIELDS = Pattern.compile("[A-Za-z0-9_.(),]{1,1000}");
    // The session's extra holding the refresh token its grant answered: the next grant must spend that one.
    private static final String NEXT_REFRESH_TOKEN = "refreshToken";

    static final CrmKey<URI> BASE_URL = CrmKey.withDefault("base-url", KeyParsers.credentialUrl(), URI.create(DEFAULT_REST_BASE));
    static final CrmKey<URI> LOGIN_URL = CrmKey.optional("login-url", KeyParsers.credentialUrl());
    static final CrmKey<Integer> SESSION_TTL = CrmKey.withDefault("session-ttl", KeyParsers.wholeNumber(1, 1440),
            (int) DEFAULT_SESSION_TTL.toMinutes());
    static final CrmKey<String> CLIENT_ID = CrmKey.required("auth.client-id", KeyParsers.text());
    static final CrmKey<String> CLIENT_SECRET = CrmKey.required("auth.client-secret", KeyParsers.text()).secret();
    static final CrmKey<String> REFRESH_TOKEN = CrmKey.required("auth.refresh-token", KeyParsers.text()).secret();
    static final CrmKey<URI> TOKEN_URL = CrmKey.withDefault("auth.token-url", KeyParsers.credentialUrl(), URI.create(DEFAULT_TOKEN_URL));

    static final CrmKey<String> UI_URL = CrmKey.withDefault("ui-url", RecordPages.uiUrl(), DEFAULT_UI_URL);

    static final CrmType<Settings> TYPE = CrmType.of("bullhorn", Settings.class, Settings::of, BullhornCrm::new,
            BASE_URL, LOGIN_URL, SESSION_TTL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_URL, UI_URL);

    /**
     * A Bullhorn entry, read: {@code loginUrl} defaults to {@code {base-url}/rest-services/login};
     * {@code refreshToken} is the first one only, each grant answering the next.
     */
    record Settings(URI tokenUrl, String loginUrl, Duration sessionTtl, String clientId, String clientSecret, String refreshToken,
                    String uiUrl) {

        static Settings of(CrmValues values) {
            String login = values.find(LOGIN_URL).map(URI::toString)
                    .orElseGet(() -> CrmCall.withoutTrailingSlash(values.get(BASE_URL).toString()) + "/rest-services/login");
            return new Settings(values.get(TOKEN_URL), login, Duration.ofMinutes(values.get(SESSION_TTL)), values.get(CLIENT_ID),
                    values.get(CLIENT_SECRET), values.get(REFRESH_TOKEN), values.get(UI_URL));
        }
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens sessions;
    private final AtomicReference<String> unsessioned = new AtomicReference<>(); // granted, its session not made yet

    BullhornCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.settings = settings;
        this.context = context;
        this.http = new CrmHttp(spec, context);
        this.sessions = AccessTokens.rotating(spec.name(), this::login, context);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        if (!ENTITY.matcher(request.object()).matches()) return failed(CrmException.Kind.CONFIG, "object is not a Bullhorn entity: " + request.object());
        if (!BullhornQuery.isField(request.field())) return failed(CrmException.Kind.CONFIG, "not a Bullhorn field: " + request.field());
        String fields = fields(request.fields());
        if (!FIELDS.matcher(fields).matches()) return failed(CrmException.Kind.CONFIG, "fields are not Bullhorn field names: " + fields);
        if (request.value().isBlank() || request.value().length() > MAX_VALUE_LENGTH) return CompletableFuture.completedFuture(LookupResult.none());
        long start = context.ticker().read();
        int count = Math.min(request.limit(), MAX_COUNT);
        String query = BullhornQuery.anyOf(request.field(), values(request));
        return sessions.withToken(session -> search(session, request, query, fields, count, start))
                .thenApply(response -> read(http.json(http.requireSuccess(response)), request.limit(), request.object()));
    }

    private CompletableFuture<HttpResponse<String>> search(AccessToken session, LookupRequest request, String query, String fields, int count, long start) {
        try {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("query", query);
            parameters.put("fields", fields);
            parameters.put("count", String.valueOf(count));
            parameters.put("start", "0");
            CrmCall call = CrmCall.get(session.extra("restUrl").orElseThrow() + "search/" + request.object(), parameters)
                    .header("BhRestToken", session.value());
            return http.send(call, request.withBudget(request.budget().minus(context.since(start))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static List<String> values(LookupRequest request) {
        List<String> values = request.phone().map(matching -> PhoneNumbers.variants(request.value(), matching)).orElse(List.of(request.value()));
        return values.size() > MAX_VARIANTS ? values.subList(0, MAX_VARIANTS) : values;
    }

    /** {@code id} and the wanted fields, once each. */
    static String fields(List<String> wanted) {
        Set<String> fields = new LinkedHashSet<>();
        fields.add("id");
        fields.addAll(wanted);
        return String.join(",", fields);
    }

    /** {@code {total, start, count, data:[...]}}. */
    private LookupResult read(JsonNode reply, int limit, String entity) {
        JsonNode data = reply.path("data");
        if (!reply.isObject() || !data.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no data list");
        List<CrmRecord> records = CrmRecords.flattenAll(data, limit).stream()
                .map(record -> record.linkedBy("id", id -> recordUrl(settings.uiUrl(), entity, id)))
                .toList();
        return new LookupResult(records, reply.path("total").asInt(data.size()));
    }

    /**
     * Refresh grant with the newest refresh token, then REST login: the session as a token, {@code restUrl}
     * and the next refresh token as its extras. Newest first: one this node was granted but could not turn
     * into a session, the previous session's, the configured one; each refused one (AUTH) tries the next.
     */
    private CompletableFuture<AccessToken> login(Optional<AccessToken> previous) {
        Set<String> candidates = new LinkedHashSet<>();
        Optional.ofNullable(unsessioned.get()).ifPresent(candidates::add);
        previous.flatMap(session -> session.extra(NEXT_REFRESH_TOKEN)).ifPresent(candidates::add);
        candidates.add(settings.refreshToken());
        return loginWithFirst(List.copyOf(candidates));
    }

    private CompletableFuture<AccessToken> loginWithFirst(List<String> refreshTokens) {
        CompletableFuture<AccessToken> first = login(refreshTokens.get(0));
        if (refreshTokens.size() == 1) return first;
        return first.exceptionallyCompose(error -> {
            Throwable cause = Futures.unwrap(error);
            boolean refused = cause instanceof CrmException crm && crm.kind() == CrmException.Kind.AUTH;
            return refused ? loginWithFirst(refreshTokens.subList(1, refreshTokens.size())) : CompletableFuture.failedFuture(cause);
        });
    }

    private CompletableFuture<AccessToken> login(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret());
        Consumer<String> silent = LookupRequest.NO_TRACE; // token requests carry rotating secrets the spec cannot mask
        // Bullhorn answers a host outside the user's data centre with a 307 to it: its documented flow.
        CrmHttp dataCentre = http.followingRedirectsWithinDomain();
        return dataCentre.send(CrmCall.postForm(settings.tokenUrl(), form), spec.timeout(), silent)
                .thenCompose(response -> {
                    JsonNode grant = grantReply(response);
                    String next = grant.path("refresh_token").asText("").isEmpty() ? refreshToken : grant.path("refresh_token").asText();
                    unsessioned.set(next); // spent the old one: kept until a session carries this one
                    String accessToken = grant.path("access_token").asText("");
                    CrmCall call = CrmCall.get(settings.loginUrl(), CrmCall.ordered("version", "*", "access_token", accessToken));
                    return dataCentre.send(call, spec.timeout(), silent).thenApply(login -> {
                        AccessToken session = session(login, next);
                        unsessioned.compareAndSet(next, null);
                        return session;
                    });
                });
    }

    private JsonNode grantReply(HttpResponse<String> response) {
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            String error = http.parseJson(response.body()).path("error").asText("refused");
            throw http.failure(CrmException.Kind.AUTH, "token refresh refused (HTTP " + response.statusCode() + " " + error + ")");
        }
        JsonNode grant = http.json(http.requireSuccess(response));
        if (grant.path("access_token").asText("").isEmpty()) throw http.failure(CrmException.Kind.AUTH, "token reply has no access_token");
        return grant;
    }

    private AccessToken session(HttpResponse<String> response, String nextRefreshToken) {
        JsonNode login = http.json(http.requireSuccess(response));
        String token = login.path("BhRestToken").asText("");
        String restUrl = login.path("restUrl").asText("");
        if (token.isEmpty() || !restUrl.matches("https?://.+")) throw http.failure(CrmException.Kind.BAD_RESPONSE, "login reply has no BhRestToken and restUrl");
        restUrl = restUrl.endsWith("/") ? restUrl : restUrl + '/';
        return new AccessToken(token, context.clock().instant().plus(settings.sessionTtl()),
                Map.of("restUrl", restUrl, NEXT_REFRESH_TOKEN, nextRefreshToken));
    }

    /** {@code {ui}/BullhornStaffing/OpenWindow.cfm?entity=ClientContact&id={id}&view=Overview}: opens in the running Bullhorn tab. */
    static Optional<String> recordUrl(String uiUrl, String entity, String id) {
        return Optional.of(uiUrl + "/BullhornStaffing/OpenWindow.cfm?entity=" + CrmCall.encode(entity) + "&id=" + CrmCall.encode(id)
                + "&view=Overview");
    }

    private <T> CompletableFuture<T> failed(CrmException.Kind kind, String detail) {
        return CompletableFuture.failedFuture(http.failure(kind, detail));
    }

    // --- writes -------------------------------------------------------------------------------

    /**
     * Create: {@code PUT {restUrl}entity/{Entity}} (Bullhorn creates with PUT) answering {@code changedEntityId};
     * update: {@code POST {restUrl}entity/{Entity}/{id}}; log-call: a Note ({@code action} "Inbound Call" unless the
     * route sets one of the {@code commentActionList} values) whose {@code personReference} is the matched person.
     * Bullhorn has no idempotency key: with a key field ({@code externalID} on Candidate, ClientContact and Note) the
     * create keeps the call key's name-based UUID there and asks {@code GET {restUrl}query/{Entity}?where=...} (the
     * database, not the search index, which lags behind a create) for it first. A dotted name sets a to-one
     * association's id ({@code clientCorporation.id}).
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        try {
            return checkedWrite(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<WriteResult> checkedWrite(WriteRequest request) {
        CrmWrite write = request.write();
        if (!ENTITY.matcher(write.object()).matches()) return failed(CrmException.Kind.CONFIG, "object is not a Bullhorn entity: " + write.object());
        List<String> names = new ArrayList<>(write.fields().keySet());
        write.keyField().ifPresent(names::add);
        for (String name : names) {
            if (!BullhornQuery.isField(name)) return failed(CrmException.Kind.CONFIG, "not a Bullhorn field: " + name);
        }
        long start = context.ticker().read();
        if (write instanceof CrmWrite.Update update) {
            return sendWrite("POST", "entity/" + update.object() + "/" + CrmCall.encode(update.recordId()), body(update.fields()), request, start)
                    .thenApply(reply -> written(reply, update.object(), update.recordId(), false));
        }
        if (write instanceof CrmWrite.LogCall logCall) {
            return createOnce("Note", noteFields(logCall), logCall.keyField(), logCall.callKey(), request, start);
        }
        CrmWrite.Create create = (CrmWrite.Create) write;
        return createOnce(create.object(), body(create.fields()), create.keyField(), create.callKey(), request, start);
    }

    @Override
    public Set<WriteKind> writeKinds() {
        return WriteKind.ALL;
    }

    /** An update always; a create or call log when its key field holds the call key to look for. */
    @Override
    public boolean retrySafe(CrmWrite write) {
        return write.retrySafeByKeyField();
    }

    /** The Note: the call told in its comments, on the matched person; the route's fields over these. */
    private static ObjectNode noteFields(CrmWrite.LogCall logCall) {
        CrmWrite.CallFacts call = logCall.call();
        ObjectNode note = CrmHttp.JSON.createObjectNode();
        note.put("action", "Inbound Call");
        note.put("comments", logCall.subject() + "\n\nInbound call from " + call.callerId() + " to " + call.dnid() + " at " + call.started()
                + (call.uniqueid().isEmpty() ? "" : " (Asterisk " + call.uniqueid() + ")"));
        note.set("personReference", reference(logCall.recordId()));
        note.setAll(body(logCall.fields()));
        return note;
    }

    /** The fields as Bullhorn's JSON: {@code owner.id} is the to-one {@code {"owner":{"id":7}}}. */
    private static ObjectNode body(Map<String, String> fields) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        fields.forEach((name, value) -> {
            int dot = name.indexOf('.');
            if (name.endsWith(".id") && dot == name.length() - 3) body.set(name.substring(0, dot), reference(value));
            else body.put(name, value);
        });
        return body;
    }

    /** {@code {"id":4711}}: Bullhorn's ids are numbers; anything else goes as text for Bullhorn to refuse. */
    private static ObjectNode reference(String id) {
        ObjectNode reference = CrmHttp.JSON.createObjectNode();
        if (id.matches("\\d{1,18}")) reference.put("id", Long.parseLong(id));
        else reference.put("id", id);
        return reference;
    }

    /** With a key field: the record that holds the call key's UUID if there is one (made by an earlier attempt), else a new one. */
    private CompletableFuture<WriteResult> createOnce(String entity, ObjectNode fields, Optional<String> keyField, String callKey,
            WriteRequest request, long start) {
        ObjectNode values = fields.deepCopy();
        String key = CrmWrite.idOf(callKey);
        keyField.ifPresent(field -> values.put(field, key));
        if (keyField.isEmpty()) return sendWrite("PUT", "entity/" + entity, values, request, start).thenApply(reply -> written(reply, entity, "", false));
        // The UUID is hex digits and dashes: nothing in it can leave the quotes of the where clause.
        Map<String, String> parameters = CrmCall.ordered("where", keyField.get() + "='" + key + "'", "fields", "id", "count", "1");
        return sendWrite("GET", "query/" + entity + "?" + CrmCall.query(parameters), null, request, start).thenCompose(found -> {
            String earlier = found.path("data").path(0).path("id").asText("");
            if (!earlier.isEmpty()) return CompletableFuture.completedFuture(new WriteResult(entity, earlier, recordUrl(settings.uiUrl(), entity, earlier), true));
            return sendWrite("PUT", "entity/" + entity, values, request, start).thenApply(reply -> written(reply, entity, "", false));
        });
    }

    /**
     * {@code method} of {@code {restUrl}{path}} ({@code body} as JSON unless null) with the session (renewed once on a
     * 401), within what is left of the budget; a 2xx reply's JSON, else the failure with Bullhorn's errorMessage.
     */
    private CompletableFuture<JsonNode> sendWrite(String method, String path, ObjectNode body, WriteRequest request, long start) {
        return sessions.withToken(session -> {
            try {
                URI uri = URI.create(session.extra("restUrl").orElseThrow() + path);
                CrmCall call = body == null ? CrmCall.get(uri) : CrmCall.json(method, uri, body);
                return http.send(call.header("BhRestToken", session.value()), request.budget().minus(context.since(start)), request.trace(),
                        request.abort());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }).thenApply(response -> {
            if (response.statusCode() / 100 == 2) return http.json(response);
            CrmException failure = http.statusFailure(response);
            String message = failure.kind() == CrmException.Kind.HTTP_STATUS ? errorMessage(response) : "";
            throw message.isEmpty() ? failure : failure.withMessage(failure.getMessage() + ": " + message);
        });
    }

    /** {@code {"changedEntityId":1489,"changeType":"INSERT"}}: the record ({@code knownId} when none is named) and its page. */
    private WriteResult written(JsonNode reply, String entity, String knownId, boolean earlier) {
        String id = reply.path("changedEntityId").asText(knownId);
        if (id.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no changedEntityId");
        return new WriteResult(entity, id, recordUrl(settings.uiUrl(), entity, id), earlier);
    }

    // --- schema -------------------------------------------------------------------------------

    /** {@code GET {restUrl}meta}: {@code [{entity, metaUrl}]}, no labels. */
    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return meta("meta", Map.of(), "meta").thenApply(reply -> {
            if (!reply.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "meta reply is not a list");
            List<CrmObject> objects = new ArrayList<>();
            for (JsonNode entity : reply) {
                String name = entity.path("entity").asText("");
                if (!name.isEmpty()) objects.add(new CrmObject(name, entity.path("label").asText("")));
            }
            return List.copyOf(objects);
        });
    }

    /**
     * {@code GET {restUrl}meta/{Entity}?fields=*&meta=full}: each of {@code fields} with its label and
     * {@code dataType} (or its {@code type}, TO_ONE and the like, where it has none). Bullhorn has no
     * filterable flag, and lists no field the user may not read.
     */
    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        if (!ENTITY.matcher(object).matches()) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a Bullhorn entity: " + object));
        }
        return meta("meta/" + object, CrmCall.ordered("fields", "*", "meta", "full"), "fields of " + object).thenApply(reply -> {
            JsonNode fields = reply.path("fields");
            if (!fields.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "fields of " + object + ": reply has no fields list");
            List<CrmField> found = new ArrayList<>();
            for (JsonNode field : fields) {
                String name = field.path("name").asText("");
                String type = field.path("dataType").asText(field.path("type").asText(""));
                if (!name.isEmpty()) found.add(new CrmField(name, field.path("label").asText(""), type, true, true));
            }
            return List.copyOf(found);
        });
    }

    /** {@code GET {restUrl}{path}} with the lookups' session (renewed once on a 401), within the CRM's timeout. */
    private CompletableFuture<JsonNode> meta(String path, Map<String, String> parameters, String what) {
        long start = context.ticker().read();
        return sessions.withToken(session -> {
            try {
                CrmCall call = CrmCall.get(session.extra("restUrl").orElseThrow() + path, parameters).header("BhRestToken", session.value());
                return http.send(call, spec.timeout().minus(context.since(start)), LookupRequest.NO_TRACE);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }).thenApply(response -> {
            CrmException failure = response.statusCode() / 100 == 2 ? null : http.statusFailure(response);
            if (failure != null && failure.kind() == CrmException.Kind.HTTP_STATUS) {
                String message = errorMessage(response);
                throw http.failure(CrmException.Kind.HTTP_STATUS, what + ": HTTP " + response.statusCode() + (message.isEmpty() ? "" : ": " + message));
            }
            if (failure != null) throw failure;
            return http.json(response);
        });
    }

    /** Bullhorn's {@code errorMessage} of a refusal, when the body has one. */
    private String errorMessage(HttpResponse<String> response) {
        try {
            return http.parseJson(response.body()).path("errorMessage").asText("");
        } catch (CrmException e) {
            return "";
        }
    }
}
