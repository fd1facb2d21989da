package io.crmroute.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** As JSON text, for a {@link TokenStore}. */
    String toText() {
        ObjectNode node = JSON.createObjectNode().put("value", value).put("expiresAt", expiresAt.toString());
        ObjectNode extraNodes = node.putObject("extras");
        extras.forEach(extraNodes::put);
        return node.toString();
    }

    /** Reads {@link #toText}; a text it did not write is a bug, never shown (it holds a secret). */
    static AccessToken fromText(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            Map<String, String> extras = new LinkedHashMap<>();
            node.path("extras").fields().forEachRemaining(field -> extras.put(field.getKey(), field.getValue().asText()));
            return new AccessToken(node.path("value").asText(), Instant.parse(node.path("expiresAt").asText()), extras);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("a stored token is not one crmroute wrote (" + e.getClass().getSimpleName() + ")");
        }
    }
}
