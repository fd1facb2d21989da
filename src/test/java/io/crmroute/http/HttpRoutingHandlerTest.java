package io.crmroute.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.crmroute.testing.ManualTime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How one connection's requests are taken in turn: the next read only once every answer is written. */
class HttpRoutingHandlerTest {

    private final List<CompletableFuture<HttpResponse>> held = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    private EmbeddedChannel channel() throws Exception {
        HttpRouting routing = HttpRouting.builder().get("/held", request -> {
            CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
            held.add(answer);
            return answer;
        }).build();
        EmbeddedChannel channel = new EmbeddedChannel(false, false);   // not registered yet: reads are counted from the start
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads.incrementAndGet();
                ctx.read();
            }
        }, new HttpServerCodec(), new HttpObjectAggregator(1024), new HttpRoutingHandler(routing,
                new WriteBudget(1024 * 1024), new ManualTime().scheduler(), Duration.ofSeconds(30),
                HttpRoutingHandler.Warnings.every(Duration.ofSeconds(10))));
        channel.register();
        return channel;
    }

    @Test
    void pipelinedRequestsAreRoutedOneAtATimeAndTheConnectionIsReadAgainOnlyWhenAllAreAnswered() throws Exception {
        EmbeddedChannel channel = channel();
        assertEquals(1, reads.get(), "the first read, when the connection opens");

        channel.writeInbound(Unpooled.copiedBuffer("GET /held HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3), US_ASCII));
        assertEquals(1, held.size(), "the second request waits for the first answer");
        held.get(0).complete(HttpResponse.text(200, "text/plain", "one"));
        assertEquals(2, held.size());
        held.get(1).complete(HttpResponse.text(200, "text/plain", "two"));
        held.get(2).complete(HttpResponse.text(200, "text/plain", "three"));

        assertEquals(List.of("one", "two", "three"), bodies(channel));
        assertEquals(2, reads.get(), "read again once all three are answered");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void pastSixtyFourWaitingRequestsTheNextIsAnswered503AndTheConnectionClosed() throws Exception {
        EmbeddedChannel channel = channel();
        int sent = HttpRoutingHandler.MAX_PIPELINED + 10;
        channel.writeInbound(Unpooled.copiedBuffer("GET /held HTTP/1.1\r\nHost: x\r\n\r\n".repeat(sent), US_ASCII));
        for (int i = 0; i < held.size(); i++) held.get(i).complete(HttpResponse.text(200, "text/plain", "ok"));

        List<String> answers = bodies(channel);
        // the one being answered, the 64 waiting behind it, then the refusal
        assertEquals(HttpRoutingHandler.MAX_PIPELINED + 2, answers.size());
        assertEquals("{\"error\":\"too many pipelined requests\"}", answers.get(answers.size() - 1));
        assertEquals(HttpRoutingHandler.MAX_PIPELINED + 1, held.size(), "the requests past the limit were never routed");
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    /** The bodies of the responses written so far, in order. */
    private static List<String> bodies(EmbeddedChannel channel) {
        StringBuilder wire = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            wire.append(out.toString(US_ASCII));
            out.release();
        }
        List<String> bodies = new ArrayList<>();
        for (String response : wire.toString().split("HTTP/1\\.1 ")) {
            if (response.isEmpty()) continue;
            bodies.add(response.substring(response.indexOf("\r\n\r\n") + 4));
        }
        assertNull(channel.readOutbound());
        return bodies;
    }
}
