package io.crmroute.bench;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The harness ceiling: the least any FastAGI server can do for the bench's routes, on ONE Netty event-loop
 * thread. It reads the environment block, sends exactly the commands crmroute sends (GET DATA, then one SET
 * VARIABLE per variable of {@link BenchRoutes#decide} for that caller and digits, each after the previous
 * reply), then closes. It asks no CRM: it knows every caller's value ({@link Callers#crmValue}) and waits the
 * route's CRM latency on its event loop instead, so a wait costs it no thread. What the load generator
 * measures against it is what the generator and this machine allow; no server can beat it here.
 *
 * <p>As a child JVM: {@code CeilingResponder --agi-port P --http-port H}; prints {@code READY} when both
 * ports listen. Its {@code /metrics} are the baseline's ({@link BaselineAgiServer#metricsServer}).
 */
final class CeilingResponder implements AutoCloseable {

    private final EventLoopGroup loop;
    private final HttpServer http;

    private CeilingResponder(EventLoopGroup loop, HttpServer http) {
        this.loop = loop;
        this.http = http;
    }

    /** Starts both ports on 127.0.0.1; returns once the AGI port listens. */
    static CeilingResponder start(int agiPort, int httpPort) throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("ceiling", true));
        try {
            new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new LineBasedFrameDecoder(8192), new Session(inFlight));
                        }
                    })
                    .bind("127.0.0.1", agiPort).sync();
            return new CeilingResponder(loop, BaselineAgiServer.metricsServer(httpPort, inFlight));
        } catch (Exception e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The CRM latency of a route, read from the fake CRM URL it would ask ({@code /crm/{latencyMs}/{failure%}}). */
    static long crmLatencyMs(String route) {
        String path = URI.create(BenchRoutes.crmUrl(route, 1, 2)).getPath();   // /crm/{latencyMs}/{failure%}
        return Long.parseLong(path.split("/")[2]);
    }

    /** One call: environment, GET DATA, the wait, the SET VARIABLEs, close. Confined to the event loop. */
    private static final class Session extends SimpleChannelInboundHandler<ByteBuf> {

        private final AtomicInteger inFlight;
        private final Map<String, String> environment = new HashMap<>();
        private boolean inEnvironment = true;
        private boolean askedDigits;
        private List<String> variables;
        private int next;

        Session(AtomicInteger inFlight) {
            this.inFlight = inFlight;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            inFlight.incrementAndGet();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inFlight.decrementAndGet();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            String line = frame.toString(StandardCharsets.UTF_8);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (inEnvironment) {
                int colon = line.indexOf(": ");
                if (colon > 0) environment.put(line.substring(0, colon), line.substring(colon + 2));
                if (!line.isEmpty()) return;
                inEnvironment = false;
                askedDigits = true;
                send(ctx, "GET DATA " + quote(BenchRoutes.PROMPT) + " " + BenchRoutes.DTMF_TIMEOUT_MS + " " + BenchRoutes.MAX_DIGITS);
            } else if (line.equals("HANGUP")) {
                return;   // unsolicited: the caller hung up; the reply to our command still follows
            } else if (variables == null && askedDigits) {
                String route = environment.getOrDefault("agi_network_script", "");
                variables = commands(route, environment.getOrDefault("agi_callerid", ""), digits(line));
                long latency = BenchRoutes.ALL.contains(route) ? crmLatencyMs(route) : 0;
                if (latency > 0) {
                    ctx.executor().schedule(() -> sendNext(ctx), latency, TimeUnit.MILLISECONDS);
                } else {
                    sendNext(ctx);
                }
            } else {
                sendNext(ctx);
            }
        }

        private void sendNext(ChannelHandlerContext ctx) {
            if (next < variables.size()) send(ctx, variables.get(next++));
            else ctx.close();
        }

        /** The SET VARIABLE lines crmroute sends for this call: the failure path when the CRM is down. */
        private static List<String> commands(String route, String callerId, String digits) {
            Map<String, String> decision = BenchRoutes.DOWN.equals(route)
                    ? BenchRoutes.failed(digits, "CRM unavailable")
                    : BenchRoutes.decide(Callers.crmValue(callerId), digits);
            List<String> lines = new ArrayList<>(decision.size());
            decision.forEach((name, value) -> lines.add("SET VARIABLE " + quote(name) + " " + quote(value)));
            return lines;
        }

        /** The digits of a GET DATA reply ({@code 200 result=1234}); none for a timeout, -1 or a dead channel. */
        private static String digits(String reply) {
            if (!reply.startsWith("200 result=")) return "";
            String result = reply.substring("200 result=".length());
            int space = result.indexOf(' ');
            if (space >= 0) result = result.substring(0, space);
            return result.startsWith("-") ? "" : result;
        }

        private static String quote(String argument) {
            return '"' + argument.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "") + '"';
        }

        private static void send(ChannelHandlerContext ctx, String command) {
            ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), command + "\n"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) flags.put(args[i], args[i + 1]);
        int agiPort = Integer.parseInt(flags.get("--agi-port"));
        int httpPort = Integer.parseInt(flags.get("--http-port"));
        BenchLogging.quietChild();
        CeilingResponder responder = start(agiPort, httpPort);
        Runtime.getRuntime().addShutdownHook(new Thread(responder::close));
        System.out.println("READY agi=" + agiPort + " http=" + httpPort + " threads=1");
        System.out.flush();
        new CountDownLatch(1).await();   // until the harness kills this JVM
    }
}
