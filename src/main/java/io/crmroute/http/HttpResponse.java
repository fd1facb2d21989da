package io.crmroute.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A whole response: status, content type, extra headers, body. */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** {@code value} (a Jackson tree, a record, a map...) as JSON. */
    public static HttpResponse json(int status, Object value) {
        try {
            return new HttpResponse(status, "application/json", Map.of(), JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + value.getClass().getName(), e);
        }
    }

    public static HttpResponse text(int status, String contentType, String body) {
        return new HttpResponse(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error": message}} with the given status. */
    public static HttpResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    public static HttpResponse empty(int status) {
        return new HttpResponse(status, "text/plain; charset=utf-8", Map.of(), new byte[0]);
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, contentType, more, body);
    }

    public CompletableFuture<HttpResponse> completed() {
        return CompletableFuture.completedFuture(this);
    }
}
