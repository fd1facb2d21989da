package io.crmroute.bench;

import io.crmroute.bench.LoadResult.ErrorKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One load run, confined to the generator's single event-loop thread: launches sessions per the plan,
 * classifies each as it ends, and completes {@link #done} when nothing is left to launch or in flight.
 */
final class LoadRun {

    private static final int MAX_SAMPLES = 5;
    /** Launches per 1 ms tick at most, so a late open loop catches up without starving the I/O. */
    private static final int MAX_LAUNCH_PER_TICK = 200;

    final CompletableFuture<LoadResult> done = new CompletableFuture<>();
    private final LoadPlan plan;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int port;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    private final Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
    private final List<String> samples = new ArrayList<>();
    private final Set<Channel> open = new HashSet<>();
    private final long uniqueBase = System.currentTimeMillis() / 1000;
    private long startNanos;
    private long deadlineNanos;
    private long lastEndNanos;
    private long started;
    private long ok;
    private long hungUp;
    private long leaked;
    private long inFlight;
    private long maxInFlight;
    private ScheduledFuture<?> ticker;

    LoadRun(LoadPlan plan, EventLoop loop, Bootstrap bootstrap, int port) {
        this.plan = plan;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.port = port;
    }

    /** Call on the event loop. */
    void start() {
        startNanos = System.nanoTime();
        deadlineNanos = startNanos + plan.duration().toNanos();
        if (plan.openLoop()) {
            ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        } else {
            for (int i = 0; i < plan.concurrency() && canLaunch(); i++) launch();
        }
        loop.schedule(this::checkDone, plan.duration().toNanos(), TimeUnit.NANOSECONDS);
        long hardStop = plan.duration().plus(plan.sessionTimeout()).toNanos() + TimeUnit.SECONDS.toNanos(5);
        loop.schedule(this::forceStop, hardStop, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
        long due = Math.min(plan.total(), (long) (plan.ratePerSecond() * elapsedSeconds) + 1);
        for (int i = 0; i < MAX_LAUNCH_PER_TICK && started < due && canLaunch(); i++) launch();
        if (!canLaunch()) {
            ticker.cancel(false);
            checkDone();
        }
    }

    private boolean canLaunch() {
        return started < plan.total() && System.nanoTime() < deadlineNanos && !done.isDone();
    }

    private void launch() {
        started++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        AsteriskSession.Hangup hangup = AsteriskSession.Hangup.NEVER;
        if (plan.hangupFraction() > 0 && random.nextDouble() < plan.hangupFraction()) {
            hangup = random.nextBoolean() ? AsteriskSession.Hangup.BEFORE_DTMF : AsteriskSession.Hangup.AFTER_DTMF;
        }
        AsteriskSession session = new AsteriskSession(this, plan.route(), port, Callers.random(),
                uniqueBase + "." + started, hangup, System.nanoTime());
        ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new LineBasedFrameDecoder(8192), session);
            }
        }).connect("127.0.0.1", port);
        Channel channel = connect.channel();
        open.add(channel);
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            session.timedOut = true;
            channel.close();
        }, plan.sessionTimeout().toNanos(), TimeUnit.NANOSECONDS);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                fail(session, ErrorKind.REFUSED, f.cause() == null ? "connect failed" : f.cause().toString());
            }
        });
        channel.closeFuture().addListener(f -> {
            timeout.cancel(false);
            open.remove(channel);
        });
    }

    /** The session's channel closed: classify it once. */
    void finish(AsteriskSession session) {
        if (session.finished) return;
        if (session.timedOut) {
            leaked++;
            fail(session, ErrorKind.TIMEOUT, "server did not close within " + plan.sessionTimeout().toMillis() + " ms");
        } else if (session.ioError) {
            fail(session, ErrorKind.RESET, "connection reset");
        } else if (session.protocolError) {
            fail(session, ErrorKind.PROTOCOL, session.protocolSample);
        } else if (session.commands == 0 && !session.hungUp) {
            fail(session, ErrorKind.DROPPED, "closed without a command");
        } else {
            Optional<String> wrong = Callers.check(session.callerId, plan.failureAllowed(), plan.failureExpected(),
                    session.hungUp, session.variables);
            if (wrong.isPresent()) {
                fail(session, ErrorKind.WRONG, wrong.get());
            } else {
                ok++;
                if (session.hungUp) hungUp++;
                latency.recordValue(Math.max(1, (System.nanoTime() - session.startNanos) / 1000));
                end(session);
            }
        }
    }

    private void fail(AsteriskSession session, ErrorKind kind, String why) {
        if (session.finished) return;
        errors.merge(kind, 1L, Long::sum);
        if (samples.size() < MAX_SAMPLES) samples.add(kind + " " + session + ": " + why);
        end(session);
    }

    private void end(AsteriskSession session) {
        session.finished = true;
        inFlight--;
        lastEndNanos = System.nanoTime();
        if (!plan.openLoop() && canLaunch()) launch();
        checkDone();
    }

    private void checkDone() {
        if (!done.isDone() && inFlight == 0 && !canLaunch()) complete();
    }

    private void forceStop() {
        if (done.isDone()) return;
        for (Channel channel : new ArrayList<>(open)) channel.close();
        complete();
    }

    private void complete() {
        if (ticker != null) ticker.cancel(false);
        long unfinished = inFlight;
        if (unfinished > 0) errors.merge(ErrorKind.TIMEOUT, unfinished, Long::sum);
        long end = lastEndNanos > startNanos ? lastEndNanos : System.nanoTime();
        done.complete(new LoadResult(plan, started, ok, hungUp, errors, leaked + unfinished, latency.copy(),
                end - startNanos, maxInFlight, samples));
    }
}
