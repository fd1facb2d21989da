package io.crmroute.crm;

import java.util.Objects;
import java.util.Optional;

/**
 * The record a write made or changed: its object, its id in the CRM and its page in the CRM's web UI
 * where the connector knows one. {@code earlier} is true when a retry found what an earlier attempt of
 * the same call key had already made, so nothing new was created.
 */
public record WriteResult(String object, String id, Optional<String> url, boolean earlier) {

    public WriteResult {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(id, "id");
        url = url == null ? Optional.empty() : url.filter(text -> !text.isEmpty());
    }

    public static WriteResult made(String object, String id, Optional<String> url) {
        return new WriteResult(object, id, url, false);
    }
}
