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

    AgiChannelInitializer(AgiCallHandler callHandler, AgiServerOptions options, AgiServerStats stats, ChannelGroup sessions) {
        this.callHandler = callHandler;
        this.options = options;
        this.stats = stats;
        this.sessions = sessions;
        this.allowlist = new AgiAllowlistFilter(options.allow(), stats);
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                .addLast("allowlist", allowlist)
                .addLast("decoder", new AgiDecoder())
                .addLast("encoder", AgiCommandEncoder.INSTANCE)
                .addLast("session", new AgiSessionHandler(callHandler, options, stats, sessions));
    }
}
