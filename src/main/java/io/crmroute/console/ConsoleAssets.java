package io.crmroute.console;

import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the console from the jar: {@code /} is {@code console/index.html}, {@code /console/NAME} the
 * modules and stylesheet beside it. Every answer forbids inline script and style, framing and type
 * sniffing, and sends no referrer. With the console off, {@code /} says why and nothing else is served.
 */
public final class ConsoleAssets implements HttpService {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}\\.(js|css|svg|html)");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "html", "text/html; charset=utf-8");

    private final ConsoleAccess access;
    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    public ConsoleAssets(ConsoleAccess access) {
        this.access = access;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/", this::index);
        if (!(access instanceof ConsoleAccess.Off)) routing.get("/console/{file}", this::asset);
    }

    private CompletableFuture<HttpResponse> index(HttpRequest request) {
        if (access instanceof ConsoleAccess.Off) return secured(offPage(((ConsoleAccess.Off) access).reason())).completed();
        return serve("index.html");
    }

    private CompletableFuture<HttpResponse> asset(HttpRequest request) {
        String file = request.pathParam("file");
        if (!NAME.matcher(file).matches()) return secured(HttpResponse.error(404, "not found")).completed();
        return serve(file);
    }

    private CompletableFuture<HttpResponse> serve(String file) {
        Optional<byte[]> bytes = cache.get(file);
        if (bytes == null) {
            bytes = load(file);
            // Only what exists is kept: anyone may ask for made-up names, and each would stay for good.
            if (bytes.isPresent()) cache.put(file, bytes);
        }
        if (bytes.isEmpty()) return secured(HttpResponse.error(404, "not found")).completed();
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        return secured(new HttpResponse(200, type, Map.of(), bytes.get())).completed();
    }

    /** The headers every console answer carries. */
    static HttpResponse secured(HttpResponse response) {
        return response.withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("Cache-Control", "no-cache");
    }

    private static Optional<byte[]> load(String file) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + file)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static HttpResponse offPage(String reason) {
        String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>crmroute: console off</title></head>\n"
                + "<body><main><h1>crmroute console is off</h1><p>" + escape(reason) + "</p></main></body></html>\n";
        return new HttpResponse(200, "text/html; charset=utf-8", Map.of(), html.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
