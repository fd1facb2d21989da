package io.crmroute.agi;

import io.crmroute.logging.RepeatedWarning;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ipfilter.IpFilterRule;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.handler.ipfilter.RuleBasedIpFilter;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lets in the listed source ranges, closes every other connection at once and counts it. */
@Sharable
final class AgiAllowlistFilter extends RuleBasedIpFilter {

    private static final Logger log = LoggerFactory.getLogger(AgiAllowlistFilter.class);

    private final AgiServerStats stats;
    // Anyone who can reach the port can make this line: one per interval, with a count.
    private final RepeatedWarning rejected = RepeatedWarning.every(Duration.ofSeconds(10), log);

    AgiAllowlistFilter(List<Cidr> allow, AgiServerStats stats) {
        super(false, rules(allow));
        this.stats = stats;
    }

    private static IpFilterRule[] rules(List<Cidr> allow) {
        return allow.stream()
                .map(range -> new IpSubnetFilterRule(
                        NetUtil.createInetAddressFromIpAddressString(range.address()), range.prefix(), IpFilterRuleType.ACCEPT))
                .toArray(IpFilterRule[]::new);
    }

    @Override
    protected ChannelFuture channelRejected(ChannelHandlerContext ctx, InetSocketAddress remoteAddress) {
        stats.connectionRejected();
        rejected.warn("AGI connection from {} rejected: not in server.agi.allow", remoteAddress.getAddress().getHostAddress());
        return null;
    }
}
