package io.crmroute.crmhttp;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;

/** Hands a connection's reply, failure or close to the exchange it carries; an idle connection is closed. */
@ChannelHandler.Sharable
final class ExchangeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

    static final ExchangeHandler INSTANCE = new ExchangeHandler();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse reply) {
        Exchange exchange = ctx.channel().attr(Exchange.CURRENT).getAndSet(null);
        if (exchange == null) {
            ctx.close(); // a reply nobody asked for: the connection is out of step
            return;
        }
        exchange.answered(reply, HttpUtil.isKeepAlive(reply));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(ctx, new IOException("connection closed by the server before its reply"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            fail(ctx, handshake.cause());
        } else if (event instanceof IdleStateEvent && ctx.channel().attr(Exchange.CURRENT).get() == null) {
            ctx.close();
        }
        super.userEventTriggered(ctx, event);
    }

    private static void fail(ChannelHandlerContext ctx, Throwable cause) {
        Exchange exchange = ctx.channel().attr(Exchange.CURRENT).getAndSet(null);
        if (exchange != null) exchange.failed(cause);
    }
}
