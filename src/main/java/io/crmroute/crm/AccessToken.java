package io.crmroute.crm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bearer credential and when it stops working; {@code extras} carries what came with it that
 * later requests need (Salesforce {@code instance_url}, Zoho {@code api_domain}, Bullhorn {@code restUrl}).
 */
record AccessToken(String value, Instant expiresAt, Map<String, String> extras) {

    AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        extras = Map.copyOf(extras);
    }

    Optional<String> extra(String key) {
        return Optional.ofNullable(extras.get(key));
    }

    /**
     * Reads an OAuth2 token reply ({@code access_token}, {@code expires_in} seconds, default
     * {@code defaultLifetime}); every other top-level scalar becomes an extra. Null when there is no
     * {@code access_token}, so the caller can fail with its own message.
     */
    static AccessToken fromOAuthReply(JsonNode reply, Clock clock, Duration defaultLifetime) {
        JsonNode token = reply.path("access_token");
        if (!token.isTextual() || token.asText().isEmpty()) return null;
        JsonNode expiresIn = reply.path("expires_in");
        Duration lifetime = expiresIn.canConvertToLong() || expiresIn.isTextual() && expiresIn.asText().matches("\\d{1,9}")
                ? Duration.ofSeconds(expiresIn.asLong()) : defaultLifetime;
        Map<String, String> extras = new LinkedHashMap<>();
        reply.fields().forEachRemaining(field -> {
            if (field.getValue().isValueNode() && !field.getValue().isNull() && !field.getKey().equals("access_token")) {
                extras.put(field.getKey(), field.getValue().asText());
            }
        });
        return new AccessToken(token.asText(), clock.instant().plus(lifetime), extras);
    }
}
