package io.crmroute.config;

import io.crmroute.crm.CrmSpec;
import io.crmroute.route.Route;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** A whole, valid config file. Maps keep the file's order. */
public record CrmrouteConfig(
        ServerSettings server,
        Map<String, CrmSpec> crms,
        Map<String, Route> routes,
        Optional<DatabaseSettings> database,
        Optional<String> adminToken,
        Path file) {

    /** The folder crmroute writes in: {@code server.data-dir}, relative to the config's folder. */
    public Path dataDir() {
        return file.toAbsolutePath().getParent().resolve(server.dataDir()).normalize();
    }
}
