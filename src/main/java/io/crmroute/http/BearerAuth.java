package io.crmroute.http;

import io.crmroute.logging.LogText;
import io.crmroute.logging.RepeatedWarning;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards handlers with {@code Authorization: Bearer <token>}; others get 401 with
 * {@code WWW-Authenticate: Bearer}. The token is compared in constant time (over its SHA-256, so
 * not even its length leaks) and never written to a log or a response. A source that keeps sending
 * wrong tokens is locked out for a growing while ({@link AuthFailures}) and answered 429 with
 * {@code Retry-After} meanwhile, so a token cannot be guessed at the speed of the network.
 */
public final class BearerAuth {

    private static final Logger LOG = LoggerFactory.getLogger(BearerAuth.class);
    private static final String SCHEME = "bearer ";

    private static final RepeatedWarning WRONG_TOKEN = RepeatedWarning.every(Duration.ofSeconds(10), LOG);

    private final byte[] expectedDigest;
    private final AuthFailures failures;

    private BearerAuth(byte[] expectedDigest, AuthFailures failures) {
        this.expectedDigest = expectedDigest;
        this.failures = failures;
    }

    /** @throws IllegalArgumentException if the token is null or blank */
    public static BearerAuth token(String token) {
        return token(token, AuthFailures.withDefaults());
    }

    /** @throws IllegalArgumentException if the token is null or blank */
    public static BearerAuth token(String token, AuthFailures failures) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("admin token is empty");
        return new BearerAuth(sha256(token), failures);
    }

    /** {@code handler}, answered only for requests that carry the token. */
    public HttpHandler protect(HttpHandler handler) {
        return request -> {
            Duration lockout = failures.lockout(request.source());
            if (!lockout.isZero()) return tooManyFailures(lockout).completed();
            Optional<String> presented = presentedToken(request);
            if (presented.isEmpty()) {
                LOG.debug("{} {}: no bearer token", LogText.safe(request.method()), LogText.safe(request.path()));
                return unauthorized("Bearer", "missing bearer token").completed();
            }
            if (!MessageDigest.isEqual(expectedDigest, sha256(presented.get()))) {
                failures.failed(request.source());
                WRONG_TOKEN.warn("{} {} from {}: wrong bearer token", LogText.safe(request.method()), LogText.safe(request.path()),
                        LogText.safe(request.source()));
                return unauthorized("Bearer error=\"invalid_token\"", "invalid bearer token").completed();
            }
            failures.succeeded(request.source());
            return handler.handle(request);
        };
    }

    private static Optional<String> presentedToken(HttpRequest request) {
        return request.header("authorization")
                .filter(value -> value.length() > SCHEME.length()
                        && value.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME))
                .map(value -> value.substring(SCHEME.length()).trim())
                .filter(token -> !token.isEmpty());
    }

    private static HttpResponse tooManyFailures(Duration lockout) {
        long seconds = Math.max(1, (lockout.toMillis() + 999) / 1000);
        return HttpResponse.error(429, "too many wrong tokens; try again later").withHeader("Retry-After", Long.toString(seconds));
    }

    private static HttpResponse unauthorized(String challenge, String message) {
        return HttpResponse.error(401, message).withHeader("WWW-Authenticate", challenge);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "BearerAuth[token=***]";
    }
}
