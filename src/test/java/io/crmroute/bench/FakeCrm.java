package io.crmroute.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PBXware-style custom CRM on 127.0.0.1: {@code GET /crm/{latencyMs}/{failurePercent}?field_name=&dtmf=&callerid=&value=}
 * answers text/plain with {@link Callers#crmValue} of the caller after {@code latencyMs} (a timer on the
 * event loop, never a sleeping thread), or HTTP 500 for {@code failurePercent}% of requests.
 * {@code /crm/close} drops the connection at once. A wrong DTMF for the caller answers {@code WRONGDTMF},
 * so digits lost on the way show up as a wrong decision. For "connection refused", use {@link #unusedPort()}.
 */
final class FakeCrm implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicLong requests;
    private final AtomicLong failures;

    private FakeCrm(EventLoopGroup group, Channel server, AtomicLong requests, AtomicLong failures) {
        this.group = group;
        this.server = server;
        this.requests = requests;
        this.failures = failures;
    }

    /** Binds 127.0.0.1 on an ephemeral port with one event-loop thread. */
    static FakeCrm start() throws InterruptedException {
        BenchLogging.quiet();
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("fake-crm", true));
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new Handler(requests, failures));
                    }
                });
        try {
            Channel server = bootstrap.bind("127.0.0.1", 0).sync().channel();
            return new FakeCrm(group, server, requests, failures);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    long requests() {
        return requests.get();
    }

    long failures() {
        return failures.get();
    }

    /** A port on 127.0.0.1 where nothing listens (bound, then released). */
    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final AtomicLong requests;
        private final AtomicLong failures;

        Handler(AtomicLong requests, AtomicLong failures) {
            this.requests = requests;
            this.failures = failures;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.incrementAndGet();
            QueryStringDecoder query = new QueryStringDecoder(request.uri());
            String[] path = query.path().split("/");   // "", "crm", latency, failure
            if (path.length == 3 && "close".equals(path[2])) {
                failures.incrementAndGet();
                ctx.close();
                return;
            }
            long latencyMs = path.length > 2 ? parse(path[2]) : 0;
            long failurePercent = path.length > 3 ? parse(path[3]) : 0;
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            FullHttpResponse response;
            if (ThreadLocalRandom.current().nextInt(100) < failurePercent) {
                failures.incrementAndGet();
                response = response(HttpResponseStatus.INTERNAL_SERVER_ERROR, "CRM failure");
            } else {
                response = response(HttpResponseStatus.OK, answer(query));
            }
            if (latencyMs <= 0) {
                send(ctx, response, keepAlive);
            } else {
                ctx.executor().schedule(() -> send(ctx, response, keepAlive), latencyMs, TimeUnit.MILLISECONDS);
            }
        }

        private String answer(QueryStringDecoder query) {
            String caller = first(query, "callerid");
            if (caller.isEmpty()) caller = first(query, "value");
            String dtmf = first(query, "dtmf");
            if (!dtmf.isEmpty() && !dtmf.equals(Callers.digits(caller))) return "WRONGDTMF";
            return Callers.crmValue(caller);
        }

        private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
            if (!ctx.channel().isActive()) {
                response.release();
                return;
            }
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    private static String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static long parse(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
