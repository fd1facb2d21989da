package io.crmroute.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Which handler answers which method and path. Patterns are literal segments and {@code {name}}
 * segments: {@code /api/routes/{name}}. The first registered match wins; a path that matches with
 * another method gets 405, no match 404.
 */
public final class HttpRouting {

    private record Entry(String method, String[] segments, HttpHandler handler) {}

    private final List<Entry> entries;

    private HttpRouting(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Routes the request; never throws: a failing handler becomes a 500 without its message. */
    public CompletableFuture<HttpResponse> route(HttpRequest request) {
        String[] path = split(request.path());
        boolean pathKnown = false;
        for (Entry entry : entries) {
            Map<String, String> params = match(entry.segments, path);
            if (params == null) continue;
            pathKnown = true;
            if (!entry.method.equals(request.method())) continue;
            try {
                CompletableFuture<HttpResponse> response = entry.handler.handle(request.withPathParams(params));
                return response.exceptionally(failure -> HttpResponse.error(500, "internal error"));
            } catch (RuntimeException failure) {
                return HttpResponse.error(500, "internal error").completed();
            }
        }
        return (pathKnown ? HttpResponse.error(405, "method not allowed") : HttpResponse.error(404, "not found")).completed();
    }

    private static Map<String, String> match(String[] pattern, String[] path) {
        if (pattern.length != path.length) return null;
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String segment = pattern[i];
            if (segment.startsWith("{") && segment.endsWith("}")) {
                params.put(segment.substring(1, segment.length() - 1), URLDecoder.decode(path[i], StandardCharsets.UTF_8));
            } else if (!segment.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** Collects handlers; {@link #register} lets a service add its own. */
    public static final class Builder {

        private final List<Entry> entries = new ArrayList<>();

        private Builder() {}

        public Builder get(String pattern, HttpHandler handler) {
            return add("GET", pattern, handler);
        }

        public Builder put(String pattern, HttpHandler handler) {
            return add("PUT", pattern, handler);
        }

        public Builder post(String pattern, HttpHandler handler) {
            return add("POST", pattern, handler);
        }

        public Builder delete(String pattern, HttpHandler handler) {
            return add("DELETE", pattern, handler);
        }

        public Builder register(HttpService... services) {
            for (HttpService service : services) service.routing(this);
            return this;
        }

        public HttpRouting build() {
            return new HttpRouting(entries);
        }

        private Builder add(String method, String pattern, HttpHandler handler) {
            entries.add(new Entry(method, split(pattern), handler));
            return this;
        }
    }
}
