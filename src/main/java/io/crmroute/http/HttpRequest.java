package io.crmroute.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the handlers see it. Header names are lower case; {@code pathParams} holds the
 * {@code {name}} parts of the matched pattern, already URL-decoded; {@code source} is the peer's IP
 * address ({@value #UNKNOWN_SOURCE} when not known, as in a request made up by a test).
 */
public record HttpRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, String> headers,
        Map<String, String> pathParams,
        byte[] body,
        String source) {

    public static final String UNKNOWN_SOURCE = "unknown";

    public HttpRequest {
        source = source == null ? UNKNOWN_SOURCE : source;
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        pathParams = Map.copyOf(pathParams);
        body = body == null ? new byte[0] : body;
    }

    /** A request from an unknown source. */
    public HttpRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                       Map<String, String> pathParams, byte[] body) {
        this(method, path, query, headers, pathParams, body, UNKNOWN_SOURCE);
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) throw new IllegalArgumentException("no path parameter " + name);
        return value;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The same request with the parameters of the pattern it matched. */
    public HttpRequest withPathParams(Map<String, String> params) {
        return new HttpRequest(method, path, query, headers, params, body, source);
    }
}
