package io.crmroute.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays Asterisk against a FastAGI server on 127.0.0.1: a non-blocking Netty client on ONE event-loop
 * thread (so the generator's own cost is small and steady), one {@link LoadRun} at a time. Every run
 * stops by itself: the plan bounds it in count and time, sessions time out, and a hard stop follows.
 */
final class LoadGenerator implements AutoCloseable {

    static {
        BenchLogging.quiet();
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("load-generator", true));
    private final Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);

    /** Runs the plan against {@code agiPort} and returns what it measured. */
    LoadResult run(int agiPort, LoadPlan plan) throws InterruptedException {
        EventLoop loop = group.next();
        LoadRun run = new LoadRun(plan, loop, bootstrap, agiPort);
        loop.execute(run::start);
        long bound = plan.duration().plus(plan.sessionTimeout()).toMillis() + 15_000;
        try {
            return run.done.get(bound, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("load run did not finish: " + plan.describe(), e);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
