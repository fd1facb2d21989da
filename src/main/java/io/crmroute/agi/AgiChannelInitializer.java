package io.crmroute.agi;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;

/** The pipeline of one FastAGI connection, inbound top to bottom. */
final class AgiChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final AgiCallHandler callHandler;
    private final AgiServerOptions options;
    private final AgiServerStats stats;
    private final ChannelGroup sessions;
    private final AgiAllowlistFilter allowlist;
    private final AgiConnectionLimit.Counts connections;

    AgiChannelInitializer(AgiCallHandler callHandler, AgiServerOptions options, AgiServerStats stats, ChannelGroup sessions) {
        this.callHandler = callHandler;
        this.options = options;
        this.stats = stats;
        this.sessions = sessions;
        this.allowlist = new AgiAllowlistFilter(options.allowRanges(), stats);
        this.connections = new AgiConnectionLimit.Counts(options.maxConnectionsPerSource(), options.maxConnections());
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                .addLast("allowlist", allowlist)
                .addLast("limit", new AgiConnectionLimit(connections, stats))
                .addLast("decoder", new AgiDecoder())
                .addLast("encoder", AgiCommandEncoder.INSTANCE)
                .addLast("session", new AgiSessionHandler(callHandler, options, stats, sessions));
    }
}
