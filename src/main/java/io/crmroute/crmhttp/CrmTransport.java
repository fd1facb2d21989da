package io.crmroute.crmhttp;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The HTTP client of every CRM connector: Netty channels on {@code loops} (in production the FastAGI
 * workers' loops), one {@link Endpoint} per way of reaching a CRM, pools per loop and host, and Netty's
 * DNS resolver (asynchronous, honouring {@code /etc/hosts} and {@code /etc/resolv.conf}). A request sent
 * from one of the loops' threads goes out and is answered on that loop; from any other thread, on the
 * loops' next one. Closing it closes every connection it opened; the loops are their owner's to stop.
 */
public final class CrmTransport implements AutoCloseable {

    /** The most a reply body may hold once decompressed; a larger one fails and its connection is closed. */
    public static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;

    private final EventLoopGroup loops;
    private final int loopCount;
    private final DnsAddressResolverGroup dns;
    private final ChannelGroup connections = new DefaultChannelGroup("crm-connections", GlobalEventExecutor.INSTANCE);
    private final ConcurrentMap<EndpointSettings, Endpoint> endpoints = new ConcurrentHashMap<>();

    private CrmTransport(EventLoopGroup loops) {
        if (!(loops instanceof NioEventLoopGroup)) throw new IllegalArgumentException("CRM HTTP runs on NIO event loops");
        this.loops = loops;
        int count = 0;
        for (EventExecutor ignored : loops) count++;
        this.loopCount = count;
        this.dns = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .channelType(NioDatagramChannel.class)
                .socketChannelType(NioSocketChannel.class)
                // The caller's deadline decides when a lookup has waited too long; the resolver's own 5 s would
                // call a slow name server "host not found" first.
                .queryTimeoutMillis(EndpointSettings.DEFAULT_BACKSTOP.toMillis()));
    }

    /** A client on {@code loops}, which the caller owns (the FastAGI workers): a call's request stays on its loop. */
    public static CrmTransport on(EventLoopGroup loops) {
        return new CrmTransport(loops);
    }

    /** A client on one daemon loop shared by every such client in this JVM (the CLI, tests). */
    public static CrmTransport onClientLoop() {
        return new CrmTransport(ClientLoop.SHARED);
    }

    /** The endpoint for {@code settings}: CRMs reached the same way share it and its pools. */
    public Endpoint endpoint(EndpointSettings settings) {
        return endpoints.computeIfAbsent(settings, s -> new Endpoint(this, s));
    }

    /** The loop of the calling thread when it is one of ours, else the next one. */
    EventLoop callersLoop() {
        for (EventExecutor executor : loops) {
            if (executor.inEventLoop()) return (EventLoop) executor;
        }
        return loops.next();
    }

    int loopCount() {
        return loopCount;
    }

    DnsAddressResolverGroup dns() {
        return dns;
    }

    ChannelGroup connections() {
        return connections;
    }

    /** Closes every connection and the resolvers; the loops go on. */
    @Override
    public void close() {
        endpoints.values().forEach(Endpoint::close);
        connections.close();
        dns.close();
    }

    private static final class ClientLoop {
        static final EventLoopGroup SHARED = new NioEventLoopGroup(1, new DefaultThreadFactory("crm-http", true));
    }
}
