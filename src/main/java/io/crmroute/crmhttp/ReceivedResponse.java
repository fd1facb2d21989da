package io.crmroute.crmhttp;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLSession;

/**
 * A reply read off a Netty channel, as the {@code java.net.http} response type the connectors take:
 * status, headers (names case-insensitive) and the body decoded by its charset (UTF-8 when unnamed).
 */
record ReceivedResponse(int statusCode, HttpHeaders headers, String body, OutboundRequest sent) implements HttpResponse<String> {

    static ReceivedResponse of(FullHttpResponse reply, OutboundRequest sent) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> header : reply.headers()) {
            headers.computeIfAbsent(header.getKey(), name -> new ArrayList<>()).add(header.getValue());
        }
        String body = reply.content().toString(HttpUtil.getCharset(reply, StandardCharsets.UTF_8));
        return new ReceivedResponse(reply.status().code(), HttpHeaders.of(headers, (name, value) -> true), body, sent);
    }

    @Override
    public HttpRequest request() {
        return HttpRequest.newBuilder(sent.uri()).method(sent.method(), HttpRequest.BodyPublishers.noBody()).build();
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return Optional.empty();
    }

    @Override
    public URI uri() {
        return sent.uri();
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }

    @Override
    public String toString() {
        return "(" + sent.method() + " " + sent.uri().getHost() + ") " + statusCode;
    }
}
