package io.crmroute.app;

import io.crmroute.cluster.Cluster;
import io.crmroute.cluster.NodeIdentity;
import io.crmroute.cluster.NodeStatus;
import io.crmroute.cluster.SecretBox;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.crm.CrmContext;
import io.crmroute.crm.CrmSpec;
import io.crmroute.http.HealthIndicator;
import io.crmroute.logging.LogText;
import io.crmroute.store.Database;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a database adds for several nodes: this node joins the {@link Cluster} under its {@code node:} name
 * (default host:port), its CRMs' rate budgets and (with {@value SecretBox#VARIABLE}) credentials are shared,
 * and {@code /health} lists the nodes.
 */
final class ClusterSide {

    private static final Logger log = LoggerFactory.getLogger(ClusterSide.class);
    // CRM types whose refresh token is single-use: without the key each node spends its own copy.
    private static final List<String> ROTATING = List.of("bullhorn");

    private ClusterSide() {}

    /**
     * The key sealing shared credentials, read before anything is opened: a malformed {@value SecretBox#VARIABLE}
     * stops the start with a message naming it and not its value. Without a database it is not read at all.
     */
    static Optional<SecretBox> secretBox(CrmrouteConfig config, Map<String, String> environment) {
        return config.database().isPresent() ? SecretBox.fromEnvironment(environment) : Optional.empty();
    }

    /** Joins the nodes sharing {@code database}. */
    static Cluster join(CrmrouteConfig config, Database database, CrmContext context, Optional<SecretBox> box) {
        NodeIdentity self = new NodeIdentity(config.server().node().orElseGet(() -> defaultName(config.server().agiPort())),
                NodeIdentity.runningVersion());
        if (box.isEmpty()) {
            for (CrmSpec spec : config.crms().values()) {
                if (ROTATING.contains(spec.type().id())) {
                    log.warn("crm {}: {} is not set, so its single-use refresh token stays on this node: run one node only, or set it"
                            + " (base64 of 16, 24 or 32 random bytes, the same on every node) to share it through the database",
                            LogText.safe(spec.name()), SecretBox.VARIABLE);
                }
            }
        }
        log.info("node {} joins the nodes sharing database {}", LogText.safe(self.id()), database.settings().shownUrl());
        return Cluster.join(database, self, config.server().heartbeat(), box, context.clock(), context.scheduler());
    }

    /** Not critical: without the database the node goes on with its share of each budget. */
    static HealthIndicator health(Cluster cluster) {
        return HealthIndicator.of("cluster", false, () -> {
            List<NodeStatus> nodes = cluster.nodes();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("node", cluster.self().id());
            details.put("sharedCredentials", cluster.sharesCredentials());
            details.put("nodes", nodes.stream().map(ClusterSide::shown).toList());
            boolean selfUp = nodes.stream().anyMatch(node -> node.id().equals(cluster.self().id()) && node.up());
            return new HealthIndicator.Status(selfUp, details);
        });
    }

    private static Map<String, Object> shown(NodeStatus node) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", node.id());
        shown.put("version", node.version());
        shown.put("startedAt", node.startedAt().toString());
        shown.put("lastHeartbeat", node.lastHeartbeat().toString());
        shown.put("up", node.up());
        return shown;
    }

    private static String defaultName(int agiPort) {
        try {
            return InetAddress.getLocalHost().getHostName() + ":" + agiPort;
        } catch (UnknownHostException e) {
            return "localhost:" + agiPort;
        }
    }
}
