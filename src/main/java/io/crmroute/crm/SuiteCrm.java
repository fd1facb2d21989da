package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * SuiteCRM 7.10+ and 8 (type {@code suitecrm}), V8 JSON:API:
 * {@code GET {base-url}/Api/V8/module/{Module}?filter[f][eq]=v&fields[Module]=...&page[size]=n}
 * with a Bearer token from {@code POST {base-url}/Api/access_token} (client credentials, or the
 * password grant when a username and password are set). For SuiteCRM 8 the base-url ends in
 * {@code /legacy}.
 * <p>
 * Phone notations are asked one request each (at most {@value #MAX_VARIANTS}, in parallel) and
 * merged: V8's filter keys conditions by field name, so one field cannot carry several values, and
 * its {@code filter[operator]=or} would also OR the implicit {@code deleted = 0}, matching every live
 * record. The total comes from {@code meta.total-pages}: exact on one page, otherwise a lower bound.
 * A 400 is SuiteCRM refusing the filter (an unknown field): a config problem.
 */
final class SuiteCrm implements CrmConnector {

    static final int MAX_VARIANTS = 3;
    static final String MEDIA_TYPE = "application/vnd.api+json";
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);

    /** One variant's answer: its records and how many SuiteCRM counted at least. */
    private record Page(List<JsonNode> records, int atLeast) {}

    static final CrmKey<URI> BASE_URL = CrmKey.required("base-url", KeyParsers.credentialUrl());
    static final CrmKey<String> CLIENT_ID = CrmKey.required("auth.client-id", KeyParsers.text());
    static final CrmKey<String> CLIENT_SECRET = CrmKey.required("auth.client-secret", KeyParsers.text()).secret();
    static final CrmKey<String> USERNAME = CrmKey.optional("auth.username", KeyParsers.text());
    static final CrmKey<String> PASSWORD = CrmKey.optional("auth.password", KeyParsers.text()).secret();

    static final CrmType<Settings> TYPE = CrmType.of("suitecrm", Settings.class, Settings::of, SuiteCrm::new,
            BASE_URL, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD);

    /** A SuiteCRM entry, read: with {@code user} the token comes by the password grant, else by client credentials. */
    record Settings(String root, String clientId, String clientSecret, Optional<User> user) {

        /** The user of the password grant. */
        record User(String username, String password) {}

        static Settings of(CrmValues values) {
            if (values.has(USERNAME) && !values.has(PASSWORD)) values.missing(PASSWORD, "when auth.username is set");
            if (values.has(PASSWORD) && !values.has(USERNAME)) values.missing(USERNAME, "when auth.password is set");
            Optional<User> user = values.find(USERNAME).flatMap(name -> values.find(PASSWORD).map(password -> new User(name, password)));
            return new Settings(CrmCall.withoutTrailingSlash(values.get(BASE_URL).toString()), values.get(CLIENT_ID),
                    values.get(CLIENT_SECRET), user);
        }
    }

    private final CrmSpec spec;
    private final Settings settings;
    private final CrmContext context;
    private final CrmHttp http;
    private final AccessTokens tokens;

    SuiteCrm(CrmSpec spec, Settings settings, CrmContext context) {
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
            List<String> names = new ArrayList<>(request.fields());
            names.add(0, request.field());
            names.add(0, request.object());
            for (String name : names) {
                if (!SuiteQuery.isIdentifier(name)) {
                    return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a SuiteCRM module or field name: " + name));
                }
            }
            List<String> values = values(request);
            if (values.isEmpty()) {
                request.trace().accept(spec.mask("suitecrm: value not sent (longer than " + SuiteQuery.MAX_VALUE + " characters): no match"));
                return CompletableFuture.completedFuture(LookupResult.none());
            }
            long start = context.ticker().read();
            List<CompletableFuture<Page>> pages = new ArrayList<>();
            for (String value : values) pages.add(page(request, value, start));
            return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> merge(pages.stream().map(CompletableFuture::join).toList(), request.limit(), request.object()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static List<String> values(LookupRequest request) {
        List<String> values = request.phone().map(p -> PhoneNumbers.variants(request.value(), p)).orElse(List.of(request.value()));
        return values.stream().filter(v -> v.length() <= SuiteQuery.MAX_VALUE).limit(MAX_VARIANTS).toList();
    }

    private CompletableFuture<Page> page(LookupRequest request, String value, long start) {
        Map<String, String> parameters = SuiteQuery.parameters(request.object(), request.field(), value, request.fields(), request.limit());
        CrmCall call = CrmCall.get(settings.root() + "/Api/V8/module/" + request.object(), parameters).header("Accept", MEDIA_TYPE);
        return tokens.withToken(token -> http.send(call.header("Authorization", "Bearer " + token.value()),
                        request.budget().minus(context.since(start)), request.trace(), request.abort()))
                .thenApply(response -> read(response, request.limit()));
    }

    private Page read(HttpResponse<String> response, int size) {
        if (response.statusCode() == 400) {
            String detail = detail(response);
            throw http.failure(CrmException.Kind.CONFIG, "filter refused: HTTP 400" + (detail.isEmpty() ? "" : ": " + detail));
        }
        JsonNode reply = http.json(http.requireSuccess(response));
        JsonNode data = reply.path("data");
        if (!data.isArray()) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no data array");
        List<JsonNode> records = new ArrayList<>();
        data.forEach(records::add);
        long pages = reply.path("meta").path("total-pages").asLong(1);
        int atLeast = pages > 1 ? (int) Math.min(Integer.MAX_VALUE, (pages - 1) * size + 1) : records.size();
        return new Page(records, atLeast);
    }

    /** The variants' records in variant order, each record once (by id), and the summed lower bounds. */
    private LookupResult merge(List<Page> pages, int limit, String module) {
        Map<String, CrmRecord> byId = new LinkedHashMap<>();
        int total = 0;
        for (Page page : pages) {
            total += page.atLeast();
            for (JsonNode record : page.records()) byId.putIfAbsent(record.path("id").asText(), record(record, module));
        }
        List<CrmRecord> records = byId.values().stream().limit(limit).toList();
        return new LookupResult(records, Math.max(total, byId.size()));
    }

    private CrmRecord record(JsonNode resource, String module) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", resource.path("id").asText());
        fields.putAll(CrmRecords.flatten(resource.path("attributes")).fields());
        return new CrmRecord(fields).linkedBy("id", id -> recordUrl(settings.root(), module, id));
    }

    /**
     * The record's detail view. SuiteCRM 8 serves the V8 API under {@code /legacy}, and its own UI
     * at {@code {host}/#/contacts/record/{id}}; 7.x at {@code {base}/index.php?module=Contacts&action=DetailView&record={id}}.
     */
    static Optional<String> recordUrl(String baseUrl, String module, String id) {
        String legacy = "/legacy";
        if (baseUrl.endsWith(legacy)) {
            return Optional.of(baseUrl.substring(0, baseUrl.length() - legacy.length()) + "/#/"
                    + CrmCall.encode(module.toLowerCase(java.util.Locale.ROOT)) + "/record/" + CrmCall.encode(id));
        }
        return Optional.of(baseUrl + "/index.php?module=" + CrmCall.encode(module) + "&action=DetailView&record="
                + CrmCall.encode(id));
    }

    /** JSON:API's {@code errors.detail} (an object in V8, a list in the spec), else empty. */
    private String detail(HttpResponse<String> response) {
        try {
            JsonNode errors = http.json(response).path("errors");
            JsonNode error = errors.isArray() ? errors.path(0) : errors;
            return error.path("detail").asText("");
        } catch (CrmException e) {
            return "";
        }
    }

    // --- writes -------------------------------------------------------------------------------

    /**
     * Create: {@code POST {base-url}/Api/V8/module} with {@code data.id} chosen by us, the name-based UUID of the
     * call key: a retry sends the same id, SuiteCRM refuses a second bean with it (HTTP 400 "Bean ... is already
     * exist"), and a GET of that id confirms the record an earlier attempt made. Update: {@code PATCH
     * {base-url}/Api/V8/module} with {@code data.type/id/attributes}. Log-call: a Call (Inbound, Held) made the same
     * way, its {@code parent_type}/{@code parent_id} the matched record.
     */
    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        try {
            CrmWrite write = request.write();
            if (!SuiteQuery.isIdentifier(write.object())) {
                return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a SuiteCRM module name: " + write.object()));
            }
            long start = context.ticker().read();
            if (write instanceof CrmWrite.Update update) {
                return sendWrite(resource("PATCH", update.object(), update.recordId(), update.fields()), request, start)
                        .thenApply(response -> written(requireWritten(response), update.object(), update.recordId(), false));
            }
            if (write instanceof CrmWrite.LogCall logCall) {
                return createOnce("Calls", SugarCrm.callFields(logCall), logCall.keyField(), logCall.callKey(), request, start);
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

    /** Every write: the id of whatever a write creates is made from its call key. */
    @Override
    public boolean retrySafe(CrmWrite write) {
        return true;
    }


    private CompletableFuture<WriteResult> createOnce(String module, Map<String, String> fields, Optional<String> keyField, String callKey,
            WriteRequest request, long start) {
        Map<String, String> attributes = new LinkedHashMap<>(fields);
        keyField.ifPresent(key -> attributes.put(key, callKey));
        String id = CrmWrite.idOf(callKey);
        return sendWrite(resource("POST", module, id, attributes), request, start).thenCompose(response -> {
            if (response.statusCode() / 100 == 2) return CompletableFuture.completedFuture(written(http.json(response), module, id, false));
            CrmException refused = writeFailure(response);
            if (response.statusCode() != 400 && response.statusCode() != 409) throw refused;
            // Refused: a bean with this id may be the one an earlier attempt made. Only its presence says so.
            CrmCall find = CrmCall.get(URI.create(settings.root() + "/Api/V8/module/" + module + "/" + CrmCall.encode(id))).header("Accept", MEDIA_TYPE);
            return sendWrite(find, request, start).thenApply(found -> {
                if (found.statusCode() / 100 != 2 || !id.equals(http.json(found).path("data").path("id").asText())) throw refused;
                return written(http.json(found), module, id, true);
            });
        });
    }

    /** {@code {"data":{"type":Module,"id":id,"attributes":{...}}}} sent by {@code method} to {@code /Api/V8/module}. */
    private CrmCall resource(String method, String module, String id, Map<String, String> attributes) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", module);
        data.put("id", id);
        data.put("attributes", attributes);
        return CrmCall.json(method, URI.create(settings.root() + "/Api/V8/module"), Map.of("data", data))
                .header("Content-Type", MEDIA_TYPE).header("Accept", MEDIA_TYPE);
    }

    private CompletableFuture<HttpResponse<String>> sendWrite(CrmCall call, WriteRequest request, long start) {
        return tokens.withToken(token -> http.send(call.header("Authorization", "Bearer " + token.value()),
                request.budget().minus(context.since(start)), request.trace(), request.abort()));
    }

    private JsonNode requireWritten(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) throw writeFailure(response);
        return http.json(response);
    }

    /** The status failure, with SuiteCRM's {@code errors.detail} for a refusal of the request as sent. */
    private CrmException writeFailure(HttpResponse<String> response) {
        CrmException failure = http.statusFailure(response);
        String detail = failure.kind() == CrmException.Kind.HTTP_STATUS ? detail(response) : "";
        return detail.isEmpty() ? failure : failure.withMessage(failure.getMessage() + ": " + detail);
    }

    private WriteResult written(JsonNode reply, String module, String id, boolean earlier) {
        String saved = reply.path("data").path("id").asText(id);
        return new WriteResult(module, saved, recordUrl(settings.root(), module, saved), earlier);
    }

    // --- schema -------------------------------------------------------------------------------

    /** {@code GET {base-url}/Api/V8/meta/modules}: {@code data.attributes.{Module}.label} of each module the user may reach. */
    @Override
    public CompletableFuture<List<CrmObject>> objects() {
        return meta("/Api/V8/meta/modules", "modules").thenApply(attributes -> {
            List<CrmObject> objects = new ArrayList<>();
            attributes.fields().forEachRemaining(entry -> objects.add(new CrmObject(entry.getKey(), entry.getValue().path("label").asText(""))));
            return List.copyOf(objects);
        });
    }

    /**
     * {@code GET {base-url}/Api/V8/meta/fields/{Module}}: {@code data.attributes.{field}.type} of each;
     * V8 gives no label and no filterable flag. A module SuiteCRM does not know is an error reply or
     * no attributes: either fails naming it.
     */
    @Override
    public CompletableFuture<List<CrmField>> fields(String object) {
        if (!SuiteQuery.isIdentifier(object)) {
            return CompletableFuture.failedFuture(http.failure(CrmException.Kind.CONFIG, "not a SuiteCRM module name: " + object));
        }
        return meta("/Api/V8/meta/fields/" + object, "fields of " + object).thenApply(attributes -> {
            if (attributes.isEmpty()) throw http.failure(CrmException.Kind.CONFIG, "no module " + object + " in SuiteCRM's metadata");
            List<CrmField> fields = new ArrayList<>();
            attributes.fields().forEachRemaining(entry -> fields.add(new CrmField(entry.getKey(), null, entry.getValue().path("type").asText(""), true, true)));
            return List.copyOf(fields);
        });
    }

    /** {@code data.attributes} of a V8 meta reply, within the CRM's timeout; a refusal names {@code what}. */
    private CompletableFuture<JsonNode> meta(String path, String what) {
        CrmCall call = CrmCall.get(URI.create(settings.root() + path)).header("Accept", MEDIA_TYPE);
        long start = context.ticker().read();
        return tokens.withToken(token -> http.send(call.header("Authorization", "Bearer " + token.value()),
                        spec.timeout().minus(context.since(start)), LookupRequest.NO_TRACE))
                .thenApply(response -> {
                    int status = response.statusCode();
                    if (status < 200 || status > 299) {
                        CrmException failure = http.statusFailure(response);
                        if (failure.kind() != CrmException.Kind.HTTP_STATUS) throw failure;
                        String detail = detail(response);
                        throw http.failure(CrmException.Kind.HTTP_STATUS, what + ": HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
                    }
                    JsonNode attributes = http.json(response).path("data").path("attributes");
                    if (attributes.isArray() && attributes.isEmpty()) return CrmHttp.JSON.createObjectNode(); // PHP's empty array
                    if (!attributes.isObject()) throw http.failure(CrmException.Kind.BAD_RESPONSE, what + ": reply has no data.attributes");
                    return attributes;
                });
    }

    // --- token --------------------------------------------------------------------------------

    private CompletableFuture<AccessToken> fetchToken() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", settings.user().isPresent() ? "password" : "client_credentials");
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret());
        settings.user().ifPresent(user -> {
            form.put("username", user.username());
            form.put("password", user.password());
        });
        CrmCall call = CrmCall.postForm(URI.create(settings.root() + "/Api/access_token"), form).header("Accept", "application/json");
        return http.send(call, spec.timeout(), LookupRequest.NO_TRACE).thenApply(response -> token(response, form.get("grant_type")));
    }

    private AccessToken token(HttpResponse<String> response, String grantType) {
        int status = response.statusCode();
        if (status == 400 || status == 401) {
            String error;
            try {
                error = http.json(response).path("error").asText("");
            } catch (CrmException e) {
                error = "";
            }
            throw http.failure(CrmException.Kind.AUTH, "token request (" + grantType + " grant) refused: HTTP " + status
                    + (error.matches("[a-z_]{1,40}") ? " " + error : ""));
        }
        AccessToken token = AccessToken.fromOAuthReply(http.json(http.requireSuccess(response)), context.clock(), DEFAULT_TOKEN_LIFETIME);
        if (token == null) throw http.failure(CrmException.Kind.BAD_RESPONSE, "token reply has no access_token");
        return token;
    }
}
