package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * One OAuth2 token request (client credentials or refresh token grant) as the vendor connectors send
 * it: a form POST to the token endpoint, read into an {@link AccessToken}. It is never traced (the
 * form holds the client secret) and its failures name the OAuth {@code error} code only, never the
 * vendor's free-text description, which may echo what was sent.
 */
final class OAuthTokenRequest {

    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_. -]{1,64}");

    private OAuthTokenRequest() {}

    /**
     * Posts {@code form} to {@code tokenUrl} within {@code budget}; a reply without
     * {@code expires_in} lives {@code defaultLifetime}. Fails with AUTH when the endpoint refuses
     * (4xx, or a 2xx without {@code access_token}, as Zoho answers a bad refresh token),
     * HTTP_STATUS on 5xx, BAD_RESPONSE on unreadable JSON, RATE_LIMITED on 429.
     */
    static CompletableFuture<AccessToken> fetch(CrmHttp http, URI tokenUrl, Map<String, String> form,
                                                Duration budget, Clock clock, Duration defaultLifetime) {
        try {
            return http.send(CrmCall.postForm(tokenUrl, form), budget, LookupRequest.NO_TRACE)
                    .thenApply(response -> read(http, response, clock, defaultLifetime));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static AccessToken read(CrmHttp http, HttpResponse<String> response, Clock clock, Duration defaultLifetime) {
        int status = response.statusCode();
        if (status >= 500) throw http.failure(CrmException.Kind.HTTP_STATUS, "token request failed: HTTP " + status);
        JsonNode reply = status >= 200 && status <= 299 ? http.json(response) : lenientJson(http, response);
        if (status < 200 || status > 299) {
            throw http.failure(CrmException.Kind.AUTH, "token request refused: HTTP " + status + errorCode(reply));
        }
        AccessToken token = AccessToken.fromOAuthReply(reply, clock, defaultLifetime);
        if (token != null) return token;
        if (reply.hasNonNull("error")) throw http.failure(CrmException.Kind.AUTH, "token request refused" + errorCode(reply));
        throw http.failure(CrmException.Kind.BAD_RESPONSE, "token reply has no access_token");
    }

    /** An error reply's JSON, or an empty node when it is not JSON (an HTML error page). */
    private static JsonNode lenientJson(CrmHttp http, HttpResponse<String> response) {
        try {
            return http.json(response);
        } catch (CrmException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** {@code ": invalid_client"} when the reply names a plausible OAuth error code, else nothing. */
    private static String errorCode(JsonNode reply) {
        String code = reply.path("error").asText("");
        return ERROR_CODE.matcher(code).matches() ? ": " + code : "";
    }
}
