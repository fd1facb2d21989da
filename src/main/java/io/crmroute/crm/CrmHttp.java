package io.crmroute.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.crmroute.concurrent.Futures;
import io.crmroute.crmhttp.Endpoint;
import io.crmroute.crmhttp.OutboundRequest;
import io.crmroute.crmhttp.ReplyTooLargeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * The HTTP side every web CRM connector shares: sends a {@link CrmCall} through the context's Netty client
 * (on the caller's event loop, over the CRM's own endpoint: its {@code ca-file}, {@code proxy} and pool) with a deadline always set
 * (the smaller of the CRM's timeout and the lookup's budget, for the whole exchange, body included),
 * follows no redirect, traces it with secrets masked, turns
 * transport failures into {@link CrmException}s in one place, honours one Retry-After when it fits
 * the budget, and parses JSON. Every message names the CRM and is masked.
 */
final class CrmHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;
    private final CrmSpec spec;
    private final CrmContext context;
    private final Endpoint endpoint;
    private final Predicate<HttpResponse<String>> rateLimited;
    private final boolean followsRedirects;

    CrmHttp(CrmSpec spec, CrmContext context) {
        this(spec, context, context.transport().endpoint(spec.endpoint()), response -> response.statusCode() == 429, false);
    }

    private CrmHttp(CrmSpec spec, CrmContext context, Endpoint endpoint, Predicate<HttpResponse<String>> rateLimited,
                    boolean followsRedirects) {
        this.spec = spec;
        this.context = context;
        this.endpoint = endpoint;
        this.rateLimited = rateLimited;
        this.followsRedirects = followsRedirects;
    }

    /** A copy that also reads {@code signal} as "slow down", like Salesforce's 403 REQUEST_LIMIT_EXCEEDED. */
    CrmHttp alsoRateLimitedWhen(Predicate<HttpResponse<String>> signal) {
        return new CrmHttp(spec, context, endpoint, rateLimited.or(signal), followsRedirects);
    }

    /**
     * Sends {@code call} within the lookup's budget and answers the reply whatever its status, except
     * a rate-limit reply: that is retried once after its Retry-After when the wait fits the budget,
     * otherwise it fails with {@link CrmException.Kind#RATE_LIMITED}; and a redirect, which is never
     * followed (it would carry the request's secrets to another host): a 3xx fails naming the
     * Location's host. The exchange, body included, is aborted when the budget ends or the lookup's
     * {@link LookupAbort} fires, so its connection is closed rather than left to a stalled CRM.
     */
    CompletableFuture<HttpResponse<String>> send(CrmCall call, LookupRequest request) {
        return send(call, request.budget(), request.trace(), request.abort(), true);
    }

    /** As {@link #send(CrmCall, LookupRequest)}, for requests outside a lookup (token fetches). */
    CompletableFuture<HttpResponse<String>> send(CrmCall call, Duration budget, Consumer<String> trace) {
        return send(call, budget, trace, LookupAbort.NEVER, true);
    }

    /** As {@link #send(CrmCall, LookupRequest)}, for a lookup's request with its own budget and trace. */
    CompletableFuture<HttpResponse<String>> send(CrmCall call, Duration budget, Consumer<String> trace, LookupAbort abort) {
        return send(call, budget, trace, abort, true);
    }

    /** Sends {@code call}; a 2xx reply's body as JSON ({@code MissingNode} when empty), else the status failure. */
    CompletableFuture<JsonNode> sendForJson(CrmCall call, LookupRequest request) {
        return send(call, request).thenApply(response -> json(requireSuccess(response)));
    }

    /**
     * A copy that follows one 307 or 308 per request (method and body kept) to a host within the
     * requested host's own domain, for a vendor whose documented flow redirects to the user's data
     * centre (Bullhorn: {@code rest.bullhornstaffing.com} to {@code rest-west.bullhornstaffing.com}).
     */
    CrmHttp followingRedirectsWithinDomain() {
        return new CrmHttp(spec, context, endpoint, rateLimited, true);
    }

    private CompletableFuture<HttpResponse<String>> send(CrmCall call, Duration budget, Consumer<String> trace, LookupAbort abort,
            boolean mayRetry) {
        long start = context.ticker().read();
        return attempt(call, budget, trace, abort).thenCompose(response -> {
            Duration left = budget.minus(context.since(start));
            if (isRedirect(response.statusCode())) {
                Optional<URI> next = followable(call.uri(), response);
                if (next.isEmpty() || !mayRetry) return CompletableFuture.failedFuture(redirectFailure(call.uri(), response));
                trace.accept(spec.mask("redirect " + response.statusCode() + " to " + authority(next.get())));
                return send(call.to(next.get()), left, trace, abort, false);
            }
            if (!rateLimited.test(response)) return CompletableFuture.completedFuture(response);
            Optional<Duration> wait = retryAfter(response.headers(), context.clock());
            if (!mayRetry || wait.isEmpty() || wait.get().compareTo(left) >= 0) {
                return CompletableFuture.failedFuture(statusFailure(response));
            }
            trace.accept(spec.mask("retry after " + wait.get().toMillis() + " ms (Retry-After)"));
            return context.delay(wait.get()).thenCompose(ignored -> abort.isFired()
                    ? CompletableFuture.failedFuture(abandoned())
                    : send(call, left.minus(wait.get()), trace, abort, false));
        });
    }

    /** Why an exchange was stopped before it ended on its own. */
    private enum Stop { ANSWERED, DEADLINE, ABANDONED }

    private CompletableFuture<HttpResponse<String>> attempt(CrmCall call, Duration budget, Consumer<String> trace, LookupAbort abort) {
        Duration timeout = spec.timeout().compareTo(budget) < 0 ? spec.timeout() : budget;
        if (timeout.isZero() || timeout.isNegative()) {
            return CompletableFuture.failedFuture(failure(CrmException.Kind.TIMEOUT, "no time left in the budget"));
        }
        if (abort.isFired()) return CompletableFuture.failedFuture(abandoned());
        OutboundRequest request;
        try {
            // Our own deadline (below, on the context's scheduler) is the only one that ends an exchange, body
            // included; the transport's connect and handshake backstop is far later, so time that tests drive is
            // never overtaken by a library timer on a busy machine.
            request = call.toRequest(spec.headers());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(failure(CrmException.Kind.CONFIG, "bad request: " + e.getMessage()));
        }
        trace.accept(spec.mask(call.traceLine()));
        // Set before sending, so a deadline that falls due while sendAsync returns is not lost.
        CompletableFuture<Stop> stop = new CompletableFuture<>();
        ScheduledFuture<?> deadline;
        try {
            deadline = context.scheduler().schedule(() -> stop.complete(Stop.DEADLINE), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(failure(CrmException.Kind.CONNECT, "shutting down"));
        }
        abort.onFire(() -> stop.complete(Stop.ABANDONED));
        CompletableFuture<HttpResponse<String>> exchange;
        try {
            exchange = endpoint.send(request);
        } catch (RuntimeException e) {
            deadline.cancel(false);
            return CompletableFuture.failedFuture(transportFailure(e, timeout, request.uri()));
        }
        // Cancelling the transport's future closes the exchange's connection, unless it has answered by then:
        // the connection is back in the pool and may carry another lookup's request (the transport checks).
        stop.thenAccept(why -> {
            if (why != Stop.ANSWERED && !exchange.isDone()) exchange.cancel(true);
        });
        return exchange.handle((response, error) -> {
            if (error == null) stop.complete(Stop.ANSWERED);
            deadline.cancel(false);
            if (error == null) return response;
            Stop why = stop.getNow(null);
            if (why == Stop.DEADLINE) throw failure(CrmException.Kind.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
            if (why == Stop.ABANDONED) throw abandoned();
            throw transportFailure(error, timeout, request.uri());
        });
    }

    private CrmException abandoned() {
        return failure(CrmException.Kind.TIMEOUT, "stopped: nobody waits for the answer any more");
    }

    private static boolean isRedirect(int status) {
        return status >= 300 && status <= 399 && status != 304;
    }

    /** The Location to follow, when this copy follows redirects and the target is within the domain. */
    private Optional<URI> followable(URI from, HttpResponse<String> response) {
        if (!followsRedirects || (response.statusCode() != 307 && response.statusCode() != 308)) return Optional.empty();
        return location(from, response).filter(to -> withinDomain(from, to));
    }

    private static Optional<URI> location(URI from, HttpResponse<String> response) {
        try {
            return response.headers().firstValue("Location").map(String::strip).map(from::resolve);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code to} is {@code from}'s host, or a sibling under the same parent domain (a.example.com to
     * b.example.com, never example.com to evil.com), and keeps https when {@code from} had it.
     */
    /** Labels that stand before a country code to make a public suffix (co.uk, com.au, ac.jp, ...). */
    private static final java.util.Set<String> SECOND_LEVEL_SUFFIXES = java.util.Set.of(
            "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "gv", "nic", "mil", "ltd", "plc", "sch");

    static boolean withinDomain(URI from, URI to) {
        String fromHost = from.getHost();
        String toHost = to.getHost();
        if (fromHost == null || toHost == null || to.getRawUserInfo() != null) return false;
        if ("https".equalsIgnoreCase(from.getScheme()) && !"https".equalsIgnoreCase(to.getScheme())) return false;
        if (!"https".equalsIgnoreCase(to.getScheme()) && !"http".equalsIgnoreCase(to.getScheme())) return false;
        if (fromHost.equalsIgnoreCase(toHost)) return true;
        if (fromHost.matches("[0-9.]+|\\[.*\\]")) return false; // an IP address has no parent domain
        int dot = fromHost.indexOf('.');
        String parent = fromHost.substring(dot + 1).toLowerCase(Locale.ROOT);
        // The parent must be a registered domain, not a public suffix: example.co.uk's parent co.uk would let
        // a 307 carry credentials to anyone's host under it.
        String[] labels = parent.split("\\.");
        boolean registered = labels.length >= 2 && !(labels.length == 2 && SECOND_LEVEL_SUFFIXES.contains(labels[0]));
        return dot > 0 && registered && toHost.toLowerCase(Locale.ROOT).endsWith("." + parent);
    }

    /** A 3xx as an interface failure naming the Location's host and port only: its path or query may hold secrets. */
    private CrmException redirectFailure(URI from, HttpResponse<String> response) {
        String target = location(from, response).map(CrmHttp::authority).filter(a -> !a.isEmpty())
                .map(a -> " to " + a).orElse("");
        return failure(CrmException.Kind.HTTP_STATUS, "HTTP " + response.statusCode() + " redirect" + target + " not followed");
    }

    /** {@code host} or {@code host:port}, nothing else of {@code uri}. */
    private static String authority(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        return uri.getPort() < 0 || host.isEmpty() ? host : host + ':' + uri.getPort();
    }

    /** The one mapping of transport exceptions to interface failures. */
    CrmException transportFailure(Throwable error, Duration timeout, URI uri) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof CrmException crm) return crm;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return failure(CrmException.Kind.DNS, "host not found: " + uri.getHost());
            }
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return failure(CrmException.Kind.TIMEOUT, "no connection within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof HttpTimeoutException) {
            return failure(CrmException.Kind.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof ConnectException) return failure(CrmException.Kind.CONNECT, "connection refused by " + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
        if (cause instanceof SSLException) return failure(CrmException.Kind.CONNECT, "TLS failed: " + cause.getMessage());
        if (cause instanceof ReplyTooLargeException) return failure(CrmException.Kind.BAD_RESPONSE, cause.getMessage());
        if (cause instanceof IOException) return failure(CrmException.Kind.CONNECT, "connection failed: " + describe(cause));
        return failure(CrmException.Kind.CONNECT, "request failed: " + describe(cause));
    }

    /** {@code response} when 2xx, else its status failure. */
    HttpResponse<String> requireSuccess(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 200 || status > 299) throw statusFailure(response);
        return response;
    }

    /** 401/403 AUTH, 429 (or the vendor's signal) RATE_LIMITED, any other HTTP_STATUS. */
    CrmException statusFailure(HttpResponse<String> response) {
        int status = response.statusCode();
        if (rateLimited.test(response)) return failure(CrmException.Kind.RATE_LIMITED, "HTTP " + status + " (rate limited)", status);
        if (status == 401 || status == 403) return failure(CrmException.Kind.AUTH, "HTTP " + status + " (credentials refused)", status);
        return failure(CrmException.Kind.HTTP_STATUS, "HTTP " + status, status);
    }

    /** The reply body as JSON; an empty body is a {@code MissingNode}; anything unparseable BAD_RESPONSE. */
    JsonNode json(HttpResponse<String> response) {
        return parseJson(response.body());
    }

    JsonNode parseJson(String body) {
        if (body == null || body.isBlank()) return MissingNode.getInstance();
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw failure(CrmException.Kind.BAD_RESPONSE, "reply is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code crm NAME: detail}, masked and on one line. */
    CrmException failure(CrmException.Kind kind, String detail) {
        return failure(spec, kind, detail);
    }

    CrmException failure(CrmException.Kind kind, String detail, int status) {
        return failure(spec, kind, detail, status);
    }

    static CrmException failure(CrmSpec spec, CrmException.Kind kind, String detail) {
        return failure(spec, kind, detail, 0);
    }

    static CrmException failure(CrmSpec spec, CrmException.Kind kind, String detail, int status) {
        String line = spec.mask("crm " + spec.name() + ": " + detail).replaceAll("[\\r\\n\\t]+", " ");
        return new CrmException(kind, line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "..." : line, status);
    }

    /** Retry-After as delta-seconds or an HTTP-date (read against {@code clock}); absent or unreadable: empty. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) return Optional.empty();
        String text = value.get();
        if (text.matches("\\d{1,9}")) return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        try {
            Duration wait = Duration.between(clock.instant(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
