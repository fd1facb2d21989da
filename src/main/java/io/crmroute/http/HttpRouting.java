package io.crmroute.http;

import io.crmroute.logging.LogText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which handler answers which method and path. Patterns are literal segments and {@code {name}}
 * segments: {@code /api/routes/{name}}. The first registered match wins; a path that matches with
 * another method gets 405 (with {@code Allow}), no match 404. {@code path} is the raw (still
 * percent-encoded) request path, so an encoded {@code /} stays inside its segment.
 */
public final class HttpRouting {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRouting.class);

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
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (!matches(entry.segments, path)) continue;
            if (!entry.method.equals(request.method())) {
                allowed.add(entry.method);
                continue;
            }
            Map<String, String> params = params(entry.segments, path);
            if (params == null) return HttpResponse.error(400, "malformed path").completed();
            return invoke(entry, request.withPathParams(params));
        }
        if (allowed.isEmpty()) return HttpResponse.error(404, "not found").completed();
        return HttpResponse.error(405, "method not allowed").withHeader("Allow", String.join(", ", allowed)).completed();
    }

    private static CompletableFuture<HttpResponse> invoke(Entry entry, HttpRequest request) {
        try {
            CompletableFuture<HttpResponse> response = entry.handler.handle(request);
            if (response == null) return internalError(request, new NullPointerException("handler returned no future"));
            return response.handle((value, failure) -> {
                if (failure != null) return internalError(request, failure).join();
                if (value == null) return internalError(request, new NullPointerException("handler completed with null")).join();
                return value;
            });
        } catch (RuntimeException failure) {
            return internalError(request, failure);
        }
    }

    private static CompletableFuture<HttpResponse> internalError(HttpRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LOG.warn("{} {} failed", LogText.safe(request.method()), LogText.safe(request.path()), cause);
        return HttpResponse.error(500, "internal error").completed();
    }

    private static boolean matches(String[] pattern, String[] path) {
        if (pattern.length != path.length) return false;
        for (int i = 0; i < pattern.length; i++) {
            if (!isParam(pattern[i]) && !pattern[i].equals(path[i])) return false;
        }
        return true;
    }

    /** The decoded {@code {name}} segments, or null when one is not valid percent-encoding. */
    private static Map<String, String> params(String[] pattern, String[] path) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            if (!isParam(pattern[i])) continue;
            String value = percentDecode(path[i]);
            if (value == null) return null;
            params.put(pattern[i].substring(1, pattern[i].length() - 1), value);
        }
        return params;
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** RFC 3986 decoding: unlike form decoding a {@code +} in a path is a plus. Null when malformed. */
    static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) return segment;
        StringBuilder out = new StringBuilder(segment.length());
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        int i = 0;
        while (i < segment.length()) {
            if (segment.charAt(i) != '%') {
                out.append(segment.charAt(i++));
                continue;
            }
            // consecutive %XX bytes form one UTF-8 sequence
            run.reset();
            while (i < segment.length() && segment.charAt(i) == '%') {
                if (i + 2 >= segment.length()) return null;
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) return null;
                run.write(high << 4 | low);
                i += 3;
            }
            out.append(run.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
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
