package io.crmroute.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A route as stored: its document in DESIGN.md's shape, its version (the ETag) and when it changed. */
public record StoredRoute(String name, ObjectNode document, long version, Instant updatedAt) {

    public StoredRoute {
        document = document.deepCopy();
    }

    /** The HTTP entity tag for this version: {@code "7"}, quotes included. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
