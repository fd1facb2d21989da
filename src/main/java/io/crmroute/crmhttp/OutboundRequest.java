package io.crmroute.crmhttp;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP/1.1 request to send: its headers in order (a name may repeat) and an optional UTF-8 body. */
public record OutboundRequest(String method, URI uri, List<Map.Entry<String, String>> headers, Optional<String> body) {

    public OutboundRequest {
        headers = List.copyOf(headers);
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("not an http or https URI");
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("no host in the URI");
        HttpMethod.valueOf(method);
        DefaultHttpHeaders valid = new DefaultHttpHeaders(true); // refuses a name or value that would break the request
        headers.forEach(header -> valid.add(header.getKey(), header.getValue()));
    }

    boolean https() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    int port() {
        return uri.getPort() >= 0 ? uri.getPort() : https() ? 443 : 80;
    }

    /**
     * A request's retry on a fresh connection cannot do anything twice: reads only. PUT and DELETE are idempotent
     * by the HTTP spec, but CRMs do not all keep it (Bullhorn creates a record with each PUT), and a write's retry
     * belongs to the action queue, which knows whether the write is retry-safe.
     */
    boolean idempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> true;
            default -> false;
        };
    }
}
