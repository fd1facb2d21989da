package io.crmroute.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's files from the jar, over real HTTP, with headers that forbid inline script, framing and sniffing. */
class ConsoleAssetsTest {

    private static final List<String> FILES = List.of("index.html", "console.css", "icon.svg", "api.js", "app.js", "dom.js", "model.js",
            "routes.js", "editor.js", "schema.js", "try.js", "decisions.js", "status.js");
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(HttpServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpServer serve(ConsoleAccess access) {
        return HttpServer.start("127.0.0.1", 0, HttpRouting.builder().register(new ConsoleAssets(access)).build());
    }

    @Test
    void servesTheConsoleWithAStrictPolicy() throws Exception {
        try (HttpServer server = serve(new ConsoleAccess.Configured("t"))) {
            HttpResponse<String> index = get(server, "/");
            assertEquals(200, index.statusCode());
            assertTrue(index.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            String policy = index.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self';") && policy.contains("style-src 'self';")
                    && policy.contains("frame-ancestors 'none'"), policy);
            assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), policy);
            assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertEquals("DENY", index.headers().firstValue("X-Frame-Options").orElseThrow());
            assertTrue(index.body().contains("<script type=\"module\" src=\"/console/app.js\"></script>"));

            HttpResponse<String> module = get(server, "/console/app.js");
            assertEquals("text/javascript; charset=utf-8", module.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("nosniff", module.headers().firstValue("X-Content-Type-Options").orElseThrow());
            for (String file : FILES) assertEquals(200, get(server, "/console/" + file).statusCode(), file);
            assertEquals(404, get(server, "/console/missing.js").statusCode());
            assertEquals(404, get(server, "/console/..%2Fconsole%2Fapp.js").statusCode());
            assertEquals(404, get(server, "/console/App.JS").statusCode());
        }
    }

    @Test
    void whenOffSlashSaysWhyAndNothingElseIsServed() throws Exception {
        try (HttpServer server = serve(new ConsoleAccess.Off("no <token> here"))) {
            HttpResponse<String> index = get(server, "/");
            assertEquals(200, index.statusCode());
            assertTrue(index.body().contains("no &lt;token&gt; here"), index.body());
            assertFalse(index.body().contains("<script"));
            assertTrue(index.headers().firstValue("Content-Security-Policy").isPresent());
            assertEquals(404, get(server, "/console/app.js").statusCode());
        }
    }

    /** What the CSP enforces in the browser, checked in the files too: no inline script or style, no HTML from data. */
    @Test
    void theFilesHaveNoInlineScriptOrStyleAndBuildNoHtmlFromText() throws IOException {
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        for (String file : FILES) {
            String text = read(file);
            assertFalse(inlineScript.matcher(text).find(), file + " has an inline script");
            assertFalse(text.contains(" style=") || text.contains("<style") || text.contains(".style."), file + " has an inline style");
            assertFalse(text.contains("innerHTML") || text.contains("outerHTML") || text.contains("insertAdjacentHTML")
                    || text.contains("document.write") || text.contains("eval("), file + " builds HTML from text");
            if (!file.endsWith(".svg")) assertFalse(text.contains("http://") || text.contains("https://"), file + " fetches from elsewhere");
        }
    }

    private static String read(String file) throws IOException {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
