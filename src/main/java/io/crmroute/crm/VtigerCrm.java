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
            return sessions.withToken(session -> ask(query, session.value(), request, start), VtigerCrm::invalidSession)
                    .thenApply(reply -> read(reply, request.limit(), request.object()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<JsonNode> ask(String query, String session, LookupRequest request, long start) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("operation", "query");
        parameters.put("sessionName", session);
        parameters.put("query", query);
        return http.send(CrmCall.get(endpoint, parameters), request.budget().minus(context.since(start)),
                        line -> request.trace().accept(Secrets.mask(line, java.util.Set.of(session))), request.abort())
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
        return Optional.of(uiUrl + "/index.php?module=" + RecordPages.encode(module) + "&view=Detail&record=" + RecordPages.encode(record));
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
                    String session = result(http.json(http.requireSuccess(response)), "login").path("sessionName").asText("");
                    if (session.isEmpty()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "login reply has no sessionName");
                    return new AccessToken(session, context.clock().instant().plus(settings.sessionLifetime()), Map.of());
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
