package io.crmroute.crmhttp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A CRM on 127.0.0.1, on Netty so it can count connections: plain or TLS with a self-signed certificate,
 * answering every request with one JSON body (gzipped if asked), or holding every request unanswered and
 * noting each connection that the client closes while its request is held.
 */
final class FakeNettyCrm implements AutoCloseable {

    /** A request as the CRM saw it. */
    record Seen(String method, String target, Map<String, String> headers, String body) {}

    private final NioEventLoopGroup loop = new NioEventLoopGroup(1);
    private final Optional<SslContext> tls;
    private final String body;
    private final boolean gzip;
    private final boolean holding;
    private final Channel listener;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Semaphore requests = new Semaphore(0);
    private final Semaphore closedWhileHeld = new Semaphore(0);

    private FakeNettyCrm(Optional<SelfSignedCertificate> certificate, String body, boolean gzip, boolean holding) throws Exception {
        this.tls = certificate.isPresent()
                ? Optional.of(SslContextBuilder.forServer(certificate.get().key(), certificate.get().cert()).build()) : Optional.empty();
        this.body = body;
        this.gzip = gzip;
        this.holding = holding;
        this.listener = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted.incrementAndGet();
                        tls.ifPresent(context -> channel.pipeline().addLast(context.newHandler(channel.alloc())));
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answer());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    static FakeNettyCrm answering(String body) throws Exception {
        return new FakeNettyCrm(Optional.empty(), body, false, false);
    }

    static FakeNettyCrm gzipping(String body) throws Exception {
        return new FakeNettyCrm(Optional.empty(), body, true, false);
    }

    static FakeNettyCrm holding() throws Exception {
        return new FakeNettyCrm(Optional.empty(), "", false, true);
    }

    static FakeNettyCrm overTls(SelfSignedCertificate certificate, String body) throws Exception {
        return new FakeNettyCrm(Optional.of(certificate), body, false, false);
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    List<Seen> seen() {
        return seen;
    }

    boolean awaitRequests(int count) throws InterruptedException {
        return requests.tryAcquire(count, 10, TimeUnit.SECONDS);
    }

    /** Waits until {@code count} connections were closed by the client while their request was held. */
    boolean awaitClosedWhileHeld(int count) throws InterruptedException {
        return closedWhileHeld.tryAcquire(count, 10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
            seen.add(new Seen(request.method().name(), request.uri(), headers, request.content().toString(StandardCharsets.UTF_8)));
            if (holding) {
                ctx.channel().closeFuture().addListener(closed -> closedWhileHeld.release());
                requests.release();
                return;
            }
            byte[] content = gzip ? gzipped(body) : body.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse reply = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(content));
            reply.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").set(HttpHeaderNames.CONTENT_LENGTH, content.length);
            if (gzip) reply.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
            ctx.writeAndFlush(reply);
            requests.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that refused our certificate, or went away
        }
    }

    private static byte[] gzipped(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
