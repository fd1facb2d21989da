package io.crmroute.cluster;

import java.util.Objects;

/** Which node this is ({@code node:}, default host:port) and the crmroute version it runs. */
public record NodeIdentity(String id, String version) {

    public NodeIdentity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
    }

    /** The running jar's version (its manifest's Implementation-Version), or {@code dev} when run from classes. */
    public static String runningVersion() {
        String version = NodeIdentity.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
