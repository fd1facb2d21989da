package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crmroute.concurrent.Futures;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SugarCRM (type {@code sugarcrm}), REST v11: {@code POST {base-url}/rest/{api-version}/{Module}/filter}
 * with the values as a {@code $or} of {@code $equals} (see {@link SugarQuery}) and the header
 * {@code OAuth-Token}. The token comes from {@code /oauth2/token} by the password grant on a platform
 * of our own (a login on a platform ends the previous session there); before it expires, or once on
 * a 401, it is renewed with the refresh token while one is held, else by a fresh password grant.
 * Sugar gives no total without a second {@code /filter/count} request, which a ringing call cannot
 * afford: {@code next_offset} other than -1 says there are more, reported as one more than returned.
 * Token requests are shared by all lookups, so they run on the CRM's timeout, not one caller's budget.
 */
final class SugarCrm implements CrmConnector {

    static final String DEFAULT_API_VERSION = "v11_20";
    static final String DEFAULT_CLIENT_ID = "sugar";
    static final String DEFAULT_PLATFORM = "crmroute";
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);

    /** A refresh token and when Sugar stops taking it. */
    private record Refresh(String token, Instant expiresAt) {}

    static final CrmKey<URI> BASE_URL = CrmKey.required("base-url", KeyParsers.credentialUrl());
    static final CrmKey<String> API_VERSION = CrmKey.withDefault("api-version",
            KeyParsers.matching("v\\d{1,2}(_\\d{1,2})?", "expected a REST version such as v11_20 or v10"), DEFAULT_API_VERSION);
    static final CrmKey<String> PLATFORM = CrmKey.withDefault("platform",
            KeyParsers.matching("[A-Za-z0-9_.-]{1,64}", "expected a platform name of letters, digits, _ . or - (at most 64)"), DEFAULT_PLATFORM);
    static final CrmKey<String> USERNAME = CrmKey.required("auth.username", KeyParsers.text());
    static final CrmKey<String> PASSWORD = CrmKey.required("auth.password", KeyParsers.text()).secret();
    static final CrmKey<String> CLIENT_ID = CrmKey.withDefault("auth.client-id", KeyParsers.text(), DEFAULT_CLIENT_ID);
    static final CrmKey<String> CLIENT_SECRET = CrmKey.optional("auth.client-secret", KeyParsers.text()).secret();

    static final CrmType<Settings> TYPE = CrmType.of("sugarcrm", Settings.class, Settings::of, SugarCrm::new,
            BASE_URL, API_VERSION, PLATFORM, USERNAME, PASSWORD, CLIENT_ID, CLIENT_SECRET);

    /** A SugarCRM entry, read: {@code root} is {@code {base-url}/rest/{api-version}}; no client secret is "". */
    record Settings(String root, String platform, String username, String password, String clientId, String clientSecret, String uiUrl) {

        static Settings of(CrmValues values) {
            String base = CrmCall.withoutTrailingSlash(values.get(BASE_URL).toString());
            return new Settings(base + "/rest/" + values.get(API_VERSION), values.get(PLATFORM), values.get(USERNAME), values.get(PASSWORD),
                    values.get(CLIENT_ID), values.find(CLIENT_SECRET).orElse(""), base);
        }
    }

    /** {@code {instance}/#{Module}/{id}}: the Sidecar route of the record view. */
    static Optional<String> recordUrl(String uiUrl, String module, String id) {
        return Optional.of(uiUrl + "/#" + CrmCall.encode(module) + "/" + CrmCall.encode(id));
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens tokens;
    private final AtomicReference<Refresh> refresh = new AtomicReference<>();

    SugarCrm(CrmSpec spec, Settings settings, CrmContext context) {
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
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        try {
            CrmException badName = checkNames(request);
            if (badName != null) return CompletableFuture.failedFuture(badName);
            List<String> values = values(request);
            if (values.isEmpty()) {
                request.trace().accept(spec.mask("sugarcrm: value not sent (longer than " + SugarQuery.MAX_VALUE + " characters): no match"));
                return CompletableFuture.completedFuture(LookupResult.none());
            }
            ObjectNode body = SugarQuery.filter(request.field(), values, request.fields(), request.limit());
            CrmCall call = CrmCall.postJson(URI.create(settings.root() + "/" + request.object() + "/filter"), body);
            long start = context.ticker().read();
            return tokens.withToken(token -> http.send(call.header("OAuth-Token", token.value()), left(request, start), request.trace(), request.abort()))
                    .thenApply(response -> read(http.json(http.requireSuccess(response)), request.limit(), request.object()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CrmException checkNames(LookupRequest request) {
        List<String> names = new ArrayList<>(request.fields());
        names.add(0, request.field());
        names.add(0, request.object());
        for (String name : names) {
            if (!SugarQuery.isIdentifier(name)) return http.failure(CrmException.Kind.CONFIG, "not a SugarCRM module or field name: " + name);
        }
        return null;
    }

    private static List<String> values(LookupRequest request) {
        List<String> values = request.phone().map(p -> PhoneNumbers.variants(request.value(), p)).orElse(List.of(request.value()));
        return values.stream().filter(v -> v.length() <= SugarQuery.MAX_VALUE).toList();
    }

    private Duration left(LookupRequest request, long start) {
        return request.budget().minus(context.since(start));
    }

    private LookupResult read(JsonNode reply, int limit, String module) {
        JsonNode records = reply.path("records");
        if (!records.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no records array");
        List<CrmRecord> found = new ArrayList<>();
        for (JsonNode record : records) {
            if (found.size() >= limit) break;
            if (!record.isObject()) continue;
            CrmRecord flat = CrmRecords.flatten(((ObjectNode) record.deepCopy()).without("_acl"));
            String recordModule = flat.get("_module").orElse(module);
            found.add(flat.linkedBy("id", id -> recordUrl(settings.uiUrl(), recordModule, id)));
        }
        boolean more = reply.path("next_offset").asInt(-1) >= 0 || records.size() > found.size();
        return new LookupResult(found, more ? found.size() + 1 : found.size());
    }

    // --- writes -------------------------------------------------------------------------------

    /**
     * Create: {@code POST {root}/{Module}} with the fields; update: {@code PUT {root}/{Module}/{id}}; log-call:
     * {@code POST {root}/Calls} (Inbound, Held, {@code parent_type}/{@code parent_id} of the matched record). Sugar has
     * no idempotency key, so with a key field the call key is written there and looked for first
     * ({@code POST {root}/{Module}/filter}): a retry finds the record an earlier attempt made instead of making a
     * second. Every request, the look-up and the create both, fits the write's budget.
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        try {
            CrmWrite write = request.write();
            for (String name : writeNames(write)) {
                if (!SugarQuery.isIdentifier(name)) return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a SugarCRM module or field name: " + name));
            }
            long start = context.ticker().read();
            if (write instanceof CrmWrite.Update update) {
                CrmCall call = CrmCall.json("PUT", URI.create(settings.root() + "/" + update.object() + "/" + CrmCall.encode(update.recordId())),
                        update.fields());
                return sendWrite(call, request, start).thenApply(reply -> written(reply, update.object(), update.recordId(), false));
            }
            if (write instanceof CrmWrite.LogCall logCall) {
                return createOnce("Calls", callFields(logCall), logCall.keyField(), logCall.callKey(), request, start);
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

    private static List<String> writeNames(CrmWrite write) {
        List<String> names = new ArrayList<>(write.fields().keySet());
        names.add(write.object());
        write.keyField().ifPresent(names::add);
        return names;
    }

    /**
     * The Call: inbound, held, on the matched record, started when the call came in; the route's fields over these.
     * SuiteCRM's Calls, of the same lineage, take the same fields.
     */
    static Map<String, String> callFields(CrmWrite.LogCall logCall) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", logCall.subject());
        fields.put("direction", "Inbound");
        fields.put("status", "Held");
        fields.put("date_start", SUGAR_TIME.format(logCall.call().started().atOffset(ZoneOffset.UTC)));
        fields.put("duration_hours", "0");
        fields.put("duration_minutes", "0");
        fields.put("parent_type", logCall.object());
        fields.put("parent_id", logCall.recordId());
        fields.put("description", logCall.call().describe());
        fields.putAll(logCall.fields());
        return fields;
    }

    private static final DateTimeFormatter SUGAR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    /** With a key field: the record holding the call key if there is one (made by an earlier attempt), else a new one. */
    private CompletableFuture<WriteResult> createOnce(String module, Map<String, String> fields, Optional<String> keyField, String callKey,
            WriteRequest request, long start) {
        Map<String, String> values = new LinkedHashMap<>(fields);
        keyField.ifPresent(key -> values.put(key, callKey));
        CrmCall create = CrmCall.postJson(URI.create(settings.root() + "/" + module), values);
        if (keyField.isEmpty()) return sendWrite(create, request, start).thenApply(reply -> written(reply, module, "", false));
        CrmCall find = CrmCall.postJson(URI.create(settings.root() + "/" + module + "/filter"),
                SugarQuery.filter(keyField.get(), List.of(callKey), List.of("id"), 1));
        return sendWrite(find, request, start).thenCompose(found -> {
            JsonNode earlier = found.path("records").path(0);
            if (earlier.hasNonNull("id")) return CompletableFuture.completedFuture(written(earlier, module, "", true));
            return sendWrite(create, request, start).thenApply(reply -> written(reply, module, "", false));
        });
    }

    /** {@code call} with the token, within what is left of the write's budget; a 2xx reply's JSON, else the failure with Sugar's error code. */
    private CompletableFuture<JsonNode> sendWrite(CrmCall call, WriteRequest request, long start) {
        return tokens.withToken(token -> http.send(call.header("OAuth-Token", token.value()), request.budget().minus(context.since(start)),
                        request.trace(), request.abort()))
                .thenApply(response -> {
                    if (response.statusCode() / 100 == 2) return http.json(response);
                    CrmException failure = http.statusFailure(response);
                    String error = errorCode(response);
                    throw error.matches("[a-z_]{1,40}") ? failure.withMessage(failure.getMessage() + " " + error) : failure;
                });
    }

    /** The saved record's {@code id} ({@code knownId} when the reply names none) and its page. */
    private WriteResult written(JsonNode record, String module, String knownId, boolean earlier) {
        String id = record.path("id").asText(knownId);
        if (id.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no id");
        return new WriteResult(module, id, recordUrl(settings.uiUrl(), module, id), earlier);
    }

    // --- schema -------------------------------------------------------------------------------

    /** {@code GET {root}/metadata?type_filter=module_list}: the modules, Sugar's own names (labels need language strings). */
    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return metadata(CrmCall.ordered("type_filter", "module_list")).thenApply(reply -> {
            JsonNode modules = reply.path("module_list");
            if (!modules.isContainerNode()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "metadata reply has no module_list");
            List<CrmObject> objects = new ArrayList<>();
            modules.fields().forEachRemaining(entry -> {
                if (!entry.getKey().equals("_hash") && entry.getValue().isTextual()) objects.add(new CrmObject(entry.getValue().asText(), null));
            });
            if (modules.isArray()) modules.forEach(module -> objects.add(new CrmObject(module.asText(), null)));
            return List.copyOf(objects);
        });
    }

    /**
     * {@code GET {root}/metadata?type_filter=modules&module_filter={Module}}: each of
     * {@code modules.{Module}.fields} with its {@code type}; unreadable where the module's {@code acl}
     * refuses the module or the field ({@code "no"}). Sugar has no filterable flag; {@code vname} is a
     * label key, not text, so the label is the name.
     */
    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        if (!SugarQuery.isIdentifier(object)) return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a SugarCRM module name: " + object));
        return metadata(CrmCall.ordered("type_filter", "modules", "module_filter", object)).thenApply(reply -> {
            JsonNode module = reply.path("modules").path(object);
            JsonNode fields = module.path("fields");
            if (!fields.isObject()) throw http.failure(CrmException.Kind.CONFIG, "no module " + object + " in SugarCRM's metadata for this user");
            JsonNode acl = module.path("acl");
            boolean moduleReadable = !"no".equals(acl.path("access").asText()) && !"no".equals(acl.path("view").asText());
            List<CrmField> found = new ArrayList<>();
            fields.fields().forEachRemaining(entry -> {
                JsonNode field = entry.getValue();
                if (entry.getKey().startsWith("_") || !field.isObject()) return;
                boolean readable = moduleReadable && !"no".equals(acl.path("fields").path(entry.getKey()).path("read").asText());
                found.add(new CrmField(field.path("name").asText(entry.getKey()), null, field.path("type").asText(""), true, readable));
            });
            return List.copyOf(found);
        });
    }

    private CompletableFuture<JsonNode> metadata(Map<String, String> parameters) {
        CrmCall call = CrmCall.get(settings.root() + "/metadata", parameters);
        long start = context.ticker().read();
        return tokens.withToken(token -> http.send(call.header("OAuth-Token", token.value()), spec.timeout().minus(context.since(start)),
                        LookupRequest.NO_TRACE))
                .thenApply(response -> http.json(http.requireSuccess(response)));
    }

    // --- token --------------------------------------------------------------------------------

    private CompletableFuture<AccessToken> fetchToken() {
        Refresh held = refresh.get();
        if (held == null || !context.clock().instant().isBefore(held.expiresAt())) return grant(passwordGrant());
        return grant(refreshGrant(held.token())).exceptionallyCompose(error -> {
            Throwable cause = Futures.unwrap(error);
            if (!(cause instanceof CrmException crm) || crm.kind() != CrmException.Kind.AUTH) return CompletableFuture.failedFuture(cause);
            refresh.compareAndSet(held, null);
            return grant(passwordGrant());
        });
    }

    private ObjectNode passwordGrant() {
        ObjectNode body = clientFields("password");
        body.put("username", settings.username());
        body.put("password", settings.password());
        return body;
    }

    private ObjectNode refreshGrant(String refreshToken) {
        return clientFields("refresh_token").put("refresh_token", refreshToken);
    }

    private ObjectNode clientFields(String grantType) {
        ObjectNode body = CrmHttp.JSON.createObjectNode();
        body.put("grant_type", grantType);
        body.put("client_id", settings.clientId());
        body.put("client_secret", settings.clientSecret());
        body.put("platform", settings.platform());
        return body;
    }

    private CompletableFuture<AccessToken> grant(ObjectNode body) {
        String grantType = body.path("grant_type").asText();
        CrmCall call = CrmCall.postJson(URI.create(settings.root() + "/oauth2/token"), body);
        return http.send(call, spec.timeout(), LookupRequest.NO_TRACE).thenApply(response -> token(response, grantType));
    }

    private AccessToken token(HttpResponse<String> response, String grantType) {
        int status = response.statusCode();
        if (status == 400 || status == 401) {
            String error = errorCode(response);
            throw http.failure(CrmException.Kind.AUTH, "token request (" + grantType + " grant) refused: HTTP " + status
                    + (error.matches("[a-z_]{1,40}") ? " " + error : ""));
        }
        JsonNode reply = http.json(http.requireSuccess(response));
        AccessToken token = AccessToken.fromOAuthReply(reply, context.clock(), DEFAULT_TOKEN_LIFETIME);
        if (token == null) throw http.failure(CrmException.Kind.BAD_RESPONSE, "token reply has no access_token");
        JsonNode refreshToken = reply.path("refresh_token");
        if (refreshToken.isTextual() && !refreshToken.asText().isEmpty()) {
            long seconds = reply.path("refresh_expires_in").asLong(Duration.ofDays(14).toSeconds());
            refresh.set(new Refresh(refreshToken.asText(), context.clock().instant().plusSeconds(seconds).minus(AccessTokens.SKEW)));
        }
        return token;
    }

    /** The OAuth {@code error} code of a refusal, when the body has a plain one. */
    private String errorCode(HttpResponse<String> response) {
        try {
            return http.json(response).path("error").asText("");
        } catch (CrmException e) {
            return "";
        }
    }
}
