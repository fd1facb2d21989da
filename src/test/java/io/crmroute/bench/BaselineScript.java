package io.crmroute.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.BaseAgiScript;

/**
 * The route as one would write it on asterisk-java: GET DATA, a blocking HTTP GET to the custom CRM (the
 * same URL and parameters crmroute sends, the same timeout), the rules of {@link BenchRoutes}, and SET
 * VARIABLE for each of the same variables. The {@code cached} route caches values for 60 s, as crmroute's
 * {@code cache: {ttl: 60s}} does, so both sides do the same work per call.
 */
final class BaselineScript extends BaseAgiScript {

    private static final long CACHE_TTL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private record Cached(String value, long expiresNanos) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(BenchRoutes.CRM_TIMEOUT_MS))
            .build();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final int crmPort;
    private final int downPort;
    private final AtomicInteger inFlight;

    BaselineScript(int crmPort, int downPort, AtomicInteger inFlight) {
        this.crmPort = crmPort;
        this.downPort = downPort;
        this.inFlight = inFlight;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        inFlight.incrementAndGet();
        try {
            String route = request.getScript();
            String digits = getData(BenchRoutes.PROMPT, BenchRoutes.DTMF_TIMEOUT_MS, BenchRoutes.MAX_DIGITS);
            if (digits == null || digits.startsWith("-")) digits = "";
            String caller = request.getCallerIdNumber() == null ? "" : request.getCallerIdNumber();
            Map<String, String> variables;
            try {
                variables = BenchRoutes.decide(lookup(route, caller, digits), digits);
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                variables = BenchRoutes.failed(digits, "CRM: " + e);
            }
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                setVariable(variable.getKey(), variable.getValue());
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private String lookup(String route, String caller, String digits) throws Exception {
        String key = caller + '|' + digits;
        if (BenchRoutes.cached(route)) {
            Cached hit = cache.get(key);
            if (hit != null && hit.expiresNanos() - System.nanoTime() > 0) return hit.value();
        }
        String query = "?field_name=status&dtmf=" + encode(digits) + "&callerid=" + encode(caller) + "&value=" + encode(caller);
        HttpRequest request = HttpRequest.newBuilder(URI.create(BenchRoutes.crmUrl(route, crmPort, downPort) + query))
                .timeout(Duration.ofMillis(BenchRoutes.CRM_TIMEOUT_MS))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException("HTTP " + response.statusCode());
        String value = response.body().trim();
        if (BenchRoutes.cached(route)) cache.put(key, new Cached(value, System.nanoTime() + CACHE_TTL_NANOS));
        return value;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
