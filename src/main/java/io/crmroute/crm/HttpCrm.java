package io.crmroute.crm;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * PBXware's "Custom CRM" (type {@code http}): asks
 * {@code GET {url}?field_name={F}&dtmf={digits}&callerid={callerId}&value={value}}, or POSTs those
 * keys as a JSON object. A 404 or an empty reply is no record; a text/plain reply is the value of F;
 * a JSON reply ({@code application/json}, {@code application/*+json}) holds it at
 * {@code value-pointer} (default {@code /value}): a scalar is one record (F plus the reply's other
 * top-level scalars), an array one record per element. Any other content type (an HTML error page
 * above all) is a failure, never a routing value; a reply without one is read as JSON or text by its
 * first character, and fails when it starts with {@code <}.
 */
final class HttpCrm implements CrmConnector {

    static final CrmKey<URI> URL = CrmKey.required("url", KeyParsers.credentialUrl());
    static final CrmKey<String> METHOD = CrmKey.withDefault("method", KeyParsers.oneOf("GET", "POST"), "GET");
    static final CrmKey<JsonPointer> VALUE_POINTER = CrmKey.withDefault("value-pointer",
            pointer("/value or /data/0/queue (or \"\" for the whole reply)"), JsonPointer.compile("/value"));
    static final CrmKey<JsonPointer> ID_POINTER = CrmKey.optional("id-pointer", pointer("/id or /record/id"));
    static final CrmKey<JsonPointer> URL_POINTER = CrmKey.optional("url-pointer", pointer("/url or /links/self"));

    /** Its routes need no object (the endpoint answers one kind of record); its requests carry the entry's headers. */
    static final CrmType<Settings> TYPE = CrmType.of("http", Settings.class, Settings::of, HttpCrm::new,
                    URL, METHOD, VALUE_POINTER, ID_POINTER, URL_POINTER)
            .objectOptional()
            .withHeaders();

    /** An http entry, read: {@code idPointer} and {@code urlPointer} find a record's id and page within it, when set. */
    record Settings(URI url, boolean post, JsonPointer valuePointer, Optional<JsonPointer> idPointer, Optional<JsonPointer> urlPointer) {

        static Settings of(CrmValues values) {
            return new Settings(values.get(URL), values.get(METHOD).equals("POST"), values.get(VALUE_POINTER), values.find(ID_POINTER),
                    values.find(URL_POINTER));
        }
    }

    private static CrmKey.Parser<JsonPointer> pointer(String examples) {
        return (text, context) -> {
            try {
                return JsonPointer.compile(text);
            } catch (IllegalArgumentException notAPointer) {
                throw new IllegalArgumentException("expected a JSON Pointer such as " + examples);
            }
        };
    }

    private final CrmSpec spec;
    private final CrmHttp http;
    private final String url;
    private final boolean post;
    private final JsonPointer valuePointer;
    private final Optional<JsonPointer> idPointer;
    private final Optional<JsonPointer> urlPointer;

    HttpCrm(CrmSpec spec, Settings settings, CrmContext context) {
        this.spec = spec;
        this.http = new CrmHttp(spec, context);
        this.url = settings.url().toString();
        this.post = settings.post();
        this.valuePointer = settings.valuePointer();
        this.idPointer = settings.idPointer();
        this.urlPointer = settings.urlPointer();
    }

    @Override
    public boolean sendsCallData() {
        return true; // field_name, dtmf and callerid go with every request
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        String field = request.fields().isEmpty() ? request.field() : request.fields().get(0);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("field_name", field);
        parameters.put("dtmf", request.digits());
        parameters.put("callerid", request.callerId());
        parameters.put("value", request.value());
        try {
            CrmCall call = post ? CrmCall.postJson(URI.create(url), parameters) : CrmCall.get(url, parameters);
            return http.send(call, request).thenApply(response -> read(response, field, request.limit()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private LookupResult read(HttpResponse<String> response, String field, int limit) {
        if (response.statusCode() == 404) return LookupResult.none();
        http.requireSuccess(response);
        String body = response.body() == null ? "" : response.body().strip();
        if (body.isEmpty()) return LookupResult.none();
        String type = mediaType(response);
        if (type.equals("text/plain")) return LookupResult.of(List.of(new CrmRecord(Map.of(field, body))));
        if (isJson(type)) return fromJson(http.parseJson(body), field, limit);
        if (!type.isEmpty()) {
            throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply is " + type + " (expected text/plain or JSON)");
        }
        // No Content-Type: JSON when it looks like JSON, plain text unless it looks like a page.
        if (body.startsWith("{") || body.startsWith("[")) return fromJson(http.parseJson(body), field, limit);
        if (body.startsWith("<")) throw http.failure(CrmException.Kind.BAD_RESPONSE, "reply has no Content-Type and looks like markup");
        return LookupResult.of(List.of(new CrmRecord(Map.of(field, body))));
    }

    /** The reply's media type, lower case, without parameters; empty when absent; cut short as it goes into a reason. */
    private static String mediaType(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.length() > 60 ? type.substring(0, 60) + "..." : type;
    }

    private static boolean isJson(String type) {
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    private LookupResult fromJson(JsonNode root, String field, int limit) {
        if (root.isValueNode()) return scalar(root, null, field);
        JsonNode node = root.at(valuePointer);
        if (node.isMissingNode() || node.isNull()) return LookupResult.none();
        if (node.isObject()) return LookupResult.of(List.of(linked(CrmRecords.flatten(node), node)));
        if (node.isArray()) {
            List<CrmRecord> records = new java.util.ArrayList<>();
            for (JsonNode element : node) {
                if (records.size() >= limit) break;
                if (element.isObject()) records.add(linked(CrmRecords.flatten(element), element));
                else if (element.isValueNode() && !element.isNull()) records.add(new CrmRecord(Map.of(field, element.asText())));
            }
            return new LookupResult(records, node.size());
        }
        return scalar(node, root, field);
    }

    /**
     * The record with the id and page found in {@code source} (the record's own JSON object, or the
     * reply holding a single value) at the configured pointers. A page must be an http(s) URL: it
     * is handed to an agent's browser.
     */
    private CrmRecord linked(CrmRecord record, JsonNode source) {
        Optional<String> id = idPointer.map(source::at).filter(JsonNode::isValueNode).filter(node -> !node.isNull()).map(JsonNode::asText);
        Optional<String> page = urlPointer.map(source::at).filter(JsonNode::isTextual).map(JsonNode::asText)
                .filter(url -> url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7));
        return id.isEmpty() && page.isEmpty() ? record : new CrmRecord(record.fields(), id, page);
    }

    /** One record: {@code reply}'s top-level scalars, then F = {@code value}. */
    private LookupResult scalar(JsonNode value, JsonNode reply, String field) {
        if (value.isNull()) return LookupResult.none();
        Map<String, String> fields = new LinkedHashMap<>();
        if (reply != null && reply.isObject()) {
            reply.fields().forEachRemaining(entry -> {
                if (entry.getValue().isValueNode() && !entry.getValue().isNull()) fields.put(entry.getKey(), entry.getValue().asText());
            });
        }
        fields.put(field, value.asText());
        CrmRecord record = new CrmRecord(fields);
        return LookupResult.of(List.of(reply == null ? record : linked(record, reply)));
    }
}
