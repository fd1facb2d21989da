package io.crmroute.crm;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.crmroute.crmhttp.OutboundRequest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One HTTP request a connector wants sent, as a value: {@link CrmHttp} adds the timeout, the CRM's
 * configured headers and the trace line, and can send it twice (Retry-After).
 */
record CrmCall(String method, URI uri, Map<String, String> headers, Optional<String> body) {

    CrmCall {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static CrmCall get(URI uri) {
        return new CrmCall("GET", uri, Map.of(), Optional.empty());
    }

    /** {@code uri} with {@code parameters} appended to its query, every name and value URL-encoded. */
    static CrmCall get(String uri, Map<String, String> parameters) {
        String separator = parameters.isEmpty() ? "" : uri.contains("?") ? "&" : "?";
        return get(URI.create(uri + separator + query(parameters)));
    }

    /** A POST of {@code body} (a JsonNode, Map, record...) written as JSON by Jackson. */
    static CrmCall postJson(URI uri, Object body) {
        return json("POST", uri, body);
    }

    /**
     * A {@code method} (POST, PUT, PATCH...) of {@code body} written as JSON by Jackson, which escapes every
     * value a caller's ID or digits can put in it.
     */
    static CrmCall json(String method, URI uri, Object body) {
        try {
            return new CrmCall(method, uri, Map.of("Content-Type", "application/json"),
                    Optional.of(CrmHttp.JSON.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not writable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A POST of an {@code application/x-www-form-urlencoded} form (OAuth token requests). */
    static CrmCall postForm(URI uri, Map<String, String> form) {
        return new CrmCall("POST", uri, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                Optional.of(query(form)));
    }

    /** The same request to {@code newUri} (a redirect followed within the vendor's domain). */
    CrmCall to(URI newUri) {
        return new CrmCall(method, newUri, headers, body);
    }

    CrmCall header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new CrmCall(method, uri, more, body);
    }

    /** {@code a=1&b=2}, URL-encoded; a space is {@code %20}, so plain and form decoders agree. */
    /** {@code url} without one trailing {@code /}, so paths can be appended as {@code url + "/path"}. */
    static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Parameters in the order given, so the request and its trace are the same every run. */
    static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (int k = 0; k < keysAndValues.length; k += 2) parameters.put(keysAndValues[k], keysAndValues[k + 1]);
        return parameters;
    }

    static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + '=' + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** {@code text} as one path segment or query value: everything but unreserved characters encoded. */
    static String encode(String text) {
        // URLEncoder writes a space as '+' and a literal '+' as %2B, so this replace is safe.
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        // "." and ".." are unreserved, but as a whole path segment they walk the path: /v1/persons/.. is /v1/
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    /** The request to send, with {@code extra} headers (the CRM's configured ones) after the call's own. */
    OutboundRequest toRequest(Map<String, String> extra) {
        java.util.List<Map.Entry<String, String>> all = new java.util.ArrayList<>(headers.entrySet());
        all.addAll(extra.entrySet());
        return new OutboundRequest(method, uri, all, body);
    }

    /** {@code POST https://host/path {"a":1}} as shown in traces (masked by the caller). */
    String traceLine() {
        return method + ' ' + uri + body.map(b -> ' ' + b).orElse("");
    }
}
