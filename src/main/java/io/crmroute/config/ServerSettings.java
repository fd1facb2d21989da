package io.crmroute.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code server:}: where the FastAGI and HTTP ports listen, who may connect to FastAGI (normalised
 * CIDRs, never empty), how many connections each port holds, how long a stop waits for calls in progress,
 * and where crmroute writes.
 *
 * @param drainTimeout               {@code server.drain-timeout}: on SIGTERM, how long calls in progress
 *                                   may take to finish once the FastAGI port is closed (default 10 s)
 * @param agiBacklog                 {@code server.agi.backlog}: connections the kernel queues before accept
 * @param agiMaxConnectionsPerSource {@code server.agi.max-connections-per-source}
 * @param agiMaxConnections          {@code server.agi.max-connections}: all sources together
 * @param agiReplyTimeout            {@code server.agi.reply-timeout}: how long Asterisk may take to answer a
 *                                   command beyond the time the command itself may wait on the caller
 * @param httpLimits                 {@code server.http.*}: what the HTTP port lets its peers hold
 * @param dataDir                    {@code server.data-dir}: the folder crmroute writes its own files in (the
 *                                   console's local route store, the database's route snapshot), as written:
 *                                   relative to the config's folder, {@code .} (the config's folder) by default;
 *                                   {@link CrmrouteConfig#dataDir()} resolves it
 * @param node                       {@code node:} (top level): this node's name among several sharing one
 *                                   database; empty for the default, host:port
 * @param heartbeat                  {@code server.heartbeat}: how often a node with a database says it is alive
 *                                   (default 5 s); silent for 3 of them, it is shown down and loses its share
 * @param outboxLease                {@code server.outbox-lease}: with a database, how long a node's claim of an async
 *                                   action lasts unless it renews it (default 30 s): how soon a dead node's actions
 *                                   are taken by the others
 * @param outboxPoll                 {@code server.outbox-poll}: how often a node claims due actions and renews its
 *                                   claims (default 1 s)
 */
public record ServerSettings(String agiHost, int agiPort, List<String> agiAllow, String httpHost, int httpPort,
        Duration drainTimeout, int agiBacklog, int agiMaxConnectionsPerSource, int agiMaxConnections,
        Duration agiReplyTimeout, HttpLimits httpLimits, Path dataDir, Optional<String> node, Duration heartbeat,
        Duration outboxLease, Duration outboxPoll) {

    public ServerSettings {
        agiAllow = List.copyOf(agiAllow);
    }

    /** With the default data directory, node name and heartbeat. */
    public ServerSettings(String agiHost, int agiPort, List<String> agiAllow, String httpHost, int httpPort,
            Duration drainTimeout, int agiBacklog, int agiMaxConnectionsPerSource, int agiMaxConnections,
            Duration agiReplyTimeout, HttpLimits httpLimits) {
        this(agiHost, agiPort, agiAllow, httpHost, httpPort, drainTimeout, agiBacklog, agiMaxConnectionsPerSource,
                agiMaxConnections, agiReplyTimeout, httpLimits, ServerReader.DATA_DIR, Optional.empty(), ServerReader.HEARTBEAT,
                ServerReader.OUTBOX_LEASE, ServerReader.OUTBOX_POLL);
    }

    /** Named {@code node} (the top-level {@code node:}). */
    public ServerSettings withNode(Optional<String> node) {
        return new ServerSettings(agiHost, agiPort, agiAllow, httpHost, httpPort, drainTimeout, agiBacklog, agiMaxConnectionsPerSource,
                agiMaxConnections, agiReplyTimeout, httpLimits, dataDir, node, heartbeat, outboxLease, outboxPoll);
    }

    /** With the default drain timeout, backlog, connection caps, reply timeout and HTTP limits. */
    public ServerSettings(String agiHost, int agiPort, List<String> agiAllow, String httpHost, int httpPort) {
        this(agiHost, agiPort, agiAllow, httpHost, httpPort, ServerReader.DRAIN_TIMEOUT, ServerReader.AGI_BACKLOG,
                ServerReader.AGI_MAX_CONNECTIONS_PER_SOURCE, ServerReader.AGI_MAX_CONNECTIONS, ServerReader.AGI_REPLY_TIMEOUT,
                HttpLimits.DEFAULTS);
    }
}
