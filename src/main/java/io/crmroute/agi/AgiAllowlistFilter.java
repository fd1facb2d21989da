package io.crmroute.agi;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ipfilter.IpFilterRule;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.handler.ipfilter.RuleBasedIpFilter;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lets in the listed source subnets, closes every other connection at once and counts it. */
@Sharable
final class AgiAllowlistFilter extends RuleBasedIpFilter {

    private static final Logger log = LoggerFactory.getLogger(AgiAllowlistFilter.class);

    private final AgiServerStats stats;

    AgiAllowlistFilter(List<String> allow, AgiServerStats stats) {
        super(allow.isEmpty(), rules(allow));
        this.stats = stats;
    }

    private static IpFilterRule[] rules(List<String> allow) {
        return allow.stream()
                .map(AgiServerOptions::parseCidr)
                .map(cidr -> new IpSubnetFilterRule(
                        NetUtil.createInetAddressFromIpAddressString(cidr.address()), cidr.prefix(), IpFilterRuleType.ACCEPT))
                .toArray(IpFilterRule[]::new);
    }

    @Override
    protected ChannelFuture channelRejected(ChannelHandlerContext ctx, InetSocketAddress remoteAddress) {
        stats.connectionRejected();
        log.warn("AGI connection from {} rejected: not in the allowlist", remoteAddress);
        return null;
    }
}
