package io.crmroute.cluster;

import java.time.Duration;
import java.time.Instant;

/** One node as the database knows it; {@code up} until it has been silent for {@link Membership#MISSED_BEATS} heartbeats. */
public record NodeStatus(String id, String version, Instant startedAt, Instant lastHeartbeat, Duration heartbeat, boolean up) {

    static NodeStatus seen(String id, String version, Instant startedAt, Instant lastHeartbeat, Duration heartbeat, Instant now) {
        boolean up = !now.isAfter(lastHeartbeat.plus(heartbeat.multipliedBy(Membership.MISSED_BEATS)));
        return new NodeStatus(id, version, startedAt, lastHeartbeat, heartbeat, up);
    }
}
