package io.crmroute.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards handlers with {@code Authorization: Bearer <token>}; others get 401 with
 * {@code WWW-Authenticate: Bearer}. The token is compared in constant time (over its SHA-256, so
 * not even its length leaks) and never written to a log or a response.
 */
public final class BearerAuth {

    private static final Logger LOG = LoggerFactory.getLogger(BearerAuth.class);
    private static final String SCHEME = "bearer ";

    private final byte[] expectedDigest;

    private BearerAuth(byte[] expectedDigest) {
        this.expectedDigest = expectedDigest;
    }

    /** @throws IllegalArgumentException if the token is null or blank */
    public static BearerAuth token(String token) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("admin token is empty");
        return new BearerAuth(sha256(token));
    }

    /** {@code handler}, answered only for requests that carry the token. */
    public HttpHandler protect(HttpHandler handler) {
        return request -> {
            Optional<String> presented = presentedToken(request);
            if (presented.isEmpty()) {
                LOG.debug("{} {}: no bearer token", request.method(), request.path());
                return unauthorized("Bearer", "missing bearer token").completed();
            }
            if (!MessageDigest.isEqual(expectedDigest, sha256(presented.get()))) {
                LOG.warn("{} {}: wrong bearer token", request.method(), request.path());
                return unauthorized("Bearer error=\"invalid_token\"", "invalid bearer token").completed();
            }
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
