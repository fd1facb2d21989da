package io.crmroute.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Netty's whole requests as {@link HttpRequest}s, and {@link HttpResponse}s as Netty's. */
final class HttpMessages {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMessages.class);

    private HttpMessages() {}

    static FullHttpResponse toNetty(HttpVersion version, HttpResponse response) {
        try {
            return build(version, response);
        } catch (RuntimeException invalid) {
            LOG.warn("cannot write response with status {}", response.status(), invalid);
            return build(version, HttpResponse.error(500, "internal error"));
        }
    }

    private static FullHttpResponse build(HttpVersion version, HttpResponse response) {
        FullHttpResponse netty = new DefaultFullHttpResponse(
                version, HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach((name, value) -> netty.headers().set(name, value));
        if (response.contentType() != null && !response.contentType().isEmpty()) {
            netty.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        netty.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        return netty;
    }

    /** @throws IllegalArgumentException on a target or query that is not valid encoding */
    static HttpRequest convert(FullHttpRequest request, String source) {
        QueryStringDecoder target = new QueryStringDecoder(originForm(request.uri()));
        Map<String, List<String>> query = new HashMap<>();
        target.parameters().forEach((name, values) -> query.put(name, List.copyOf(values)));
        Map<String, String> headers = new HashMap<>();
        // a repeated header is one comma-separated list (RFC 9110 5.3)
        request.headers().forEach(header -> headers.merge(
                header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b));
        return new HttpRequest(
                request.method().name(), target.rawPath(), query, headers, Map.of(),
                ByteBufUtil.getBytes(request.content()), source);
    }

    /** {@code /path?query} from an origin-form or absolute-form request target. */
    private static String originForm(String uri) {
        if (uri.startsWith("/")) return uri;
        try {
            URI absolute = new URI(uri);
            if (!absolute.isAbsolute() || absolute.getRawPath() == null) throw new IllegalArgumentException("request target");
            String path = absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
            return absolute.getRawQuery() == null ? path : path + "?" + absolute.getRawQuery();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("request target", e);
        }
    }
}
