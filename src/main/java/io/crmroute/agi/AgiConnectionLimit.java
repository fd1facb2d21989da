package io.crmroute.agi;

import io.crmroute.logging.RepeatedWarning;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection to the caps of {@link AgiServerOptions#maxConnectionsPerSource()} and
 * {@link AgiServerOptions#maxConnections()}: past either, the connection is closed at once and counted
 * as rejected, before any timer or call handler is spent on it. Without caps, one address that opens
 * connections and never speaks holds a socket each until the environment timeout.
 */
final class AgiConnectionLimit extends ChannelInboundHandlerAdapter {

    private final Counts counts;
    private final AgiServerStats stats;
    private InetAddress admitted;

    AgiConnectionLimit(Counts counts, AgiServerStats stats) {
        this.counts = counts;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress source = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!counts.tryOpen(source)) {
            stats.connectionRejected();
            ctx.close();
            return;
        }
        admitted = source;
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted != null) {
            counts.closed(admitted);
            admitted = null;
        }
        ctx.fireChannelInactive();
    }

    /** The connections open now, per source and in all; shared by every connection of one server. */
    static final class Counts {

        private static final Logger log = LoggerFactory.getLogger(AgiConnectionLimit.class);

        private final int perSourceCap;
        private final int totalCap;
        private final ConcurrentMap<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
        private final AtomicInteger total = new AtomicInteger();
        // Whoever passes the allowlist can trigger these at will: one line per interval, with a count.
        private final RepeatedWarning sourceFull = RepeatedWarning.every(Duration.ofSeconds(10), log);
        private final RepeatedWarning allFull = RepeatedWarning.every(Duration.ofSeconds(10), log);

        Counts(int perSourceCap, int totalCap) {
            this.perSourceCap = perSourceCap;
            this.totalCap = totalCap;
        }

        boolean tryOpen(InetAddress source) {
            if (total.incrementAndGet() > totalCap) {
                total.decrementAndGet();
                allFull.warn("AGI connection from {} refused: {} connections open (server.agi.max-connections)",
                        source.getHostAddress(), totalCap);
                return false;
            }
            boolean[] admitted = new boolean[1];
            perSource.compute(source, (address, open) -> {
                int now = open == null ? 0 : open;
                admitted[0] = now < perSourceCap;
                return admitted[0] ? now + 1 : open;
            });
            if (!admitted[0]) {
                total.decrementAndGet();
                sourceFull.warn("AGI connection from {} refused: {} connections open from that address"
                        + " (server.agi.max-connections-per-source)", source.getHostAddress(), perSourceCap);
            }
            return admitted[0];
        }

        void closed(InetAddress source) {
            perSource.computeIfPresent(source, (address, open) -> open <= 1 ? null : open - 1);
            total.decrementAndGet();
        }

        int open(InetAddress source) {
            return perSource.getOrDefault(source, 0);
        }
    }
}
