package io.crmroute.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgiDecoderTest {

    /** The environment block of agi-protocol.md, as Asterisk 20 sends it. */
    static final String ENVIRONMENT = """
            agi_network: yes
            agi_network_script: vip
            agi_request: agi://10.0.0.5:4573/vip
            agi_channel: PJSIP/trunk-00000012
            agi_language: en
            agi_type: PJSIP
            agi_uniqueid: 1732170000.42
            agi_version: 20.10.0
            agi_callerid: 15551230001
            agi_calleridname: unknown
            agi_callingpres: 0
            agi_callingani2: 0
            agi_callington: 0
            agi_callingtns: 0
            agi_dnid: 18005550100
            agi_rdnis: unknown
            agi_context: from-trunk
            agi_extension: 18005550100
            agi_priority: 2
            agi_enhanced: 0.0
            agi_accountcode:\s
            agi_threadid: 140212345678912
            agi_arg_1: ACME-42

            """;

    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel(new AgiDecoder());
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void environmentFedByteByByteComesOutOnlyWhenWhole() {
        byte[] bytes = ENVIRONMENT.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length - 1; i++) {
            assertFalse(channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1)), "nothing out before byte " + i);
        }
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1)));
        assertCaptured(channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void environmentInOddChunksWithTheBlankLineSplitOff() {
        String withoutBlank = ENVIRONMENT.substring(0, ENVIRONMENT.length() - 1);
        for (int i = 0; i < withoutBlank.length(); i += 7) {
            assertFalse(channel.writeInbound(text(withoutBlank.substring(i, Math.min(withoutBlank.length(), i + 7)))));
        }
        assertNull(channel.readInbound());
        assertTrue(channel.writeInbound(text("\n")));
        assertCaptured(channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void environmentWithCrLfLineEnds() {
        channel.writeInbound(text(ENVIRONMENT.replace("\n", "\r\n")));
        assertCaptured(channel.readInbound());
        assertFalse(channel.finish());
    }

    private static void assertCaptured(AgiEnvironment environment) {
        assertEquals("vip", environment.script());
        assertEquals("agi://10.0.0.5:4573/vip", environment.variables().get("request"), "split on the first ': ' only");
        assertEquals("15551230001", environment.callerId());
        assertEquals("PJSIP/trunk-00000012", environment.channel());
        assertEquals("1732170000.42", environment.uniqueId());
        assertEquals("", environment.variables().get("accountcode"), "'agi_accountcode: ' is empty");
        assertEquals(List.of("ACME-42"), environment.args());
        assertEquals(23, environment.variables().size());
        assertFalse(environment.variables().keySet().stream().anyMatch(k -> k.startsWith("agi_")));
    }

    @Test
    void unknownCallerEmptyValuesAndValuesWithColons() {
        channel.writeInbound(text("agi_callerid: unknown\nagi_accountcode:\nagi_dnid: \n"
                + "agi_request: agi://h:1/x?a=b:c\nagi_arg_1: a: b\n\n"));
        AgiEnvironment environment = channel.readInbound();
        assertEquals("unknown", environment.callerId());
        assertEquals("", environment.variables().get("accountcode"));
        assertEquals("", environment.variables().get("dnid"));
        assertEquals("agi://h:1/x?a=b:c", environment.variables().get("request"));
        assertEquals("a: b", environment.arg(1).orElseThrow());
        assertFalse(channel.finish());
    }

    @Test
    void oneHundredTwentyEightArguments() {
        StringBuilder block = new StringBuilder("agi_network: yes\n");
        for (int i = 1; i <= 128; i++) block.append("agi_arg_").append(i).append(": value ").append(i).append('\n');
        channel.writeInbound(text(block.append('\n').toString()));
        AgiEnvironment environment = channel.readInbound();
        assertEquals(128, environment.args().size());
        assertEquals("value 128", environment.arg(128).orElseThrow());
        assertFalse(channel.finish());
    }

    @Test
    void moreThan256EnvironmentLinesFail() {
        StringBuilder block = new StringBuilder();
        for (int i = 1; i <= 257; i++) block.append("agi_arg_").append(i).append(": x\n");
        AgiProtocolException e = assertThrows(AgiProtocolException.class, () -> channel.writeInbound(text(block.toString())));
        assertEquals("environment lines: 257 (expected: <= 256)", e.getMessage());
        assertFalse(channel.finish());
    }

    @Test
    void environmentLineWithoutThePrefixFails() {
        AgiProtocolException e = assertThrows(AgiProtocolException.class,
                () -> channel.writeInbound(text("agi_network: yes\nGET / HTTP/1.1\n")));
        assertTrue(e.getMessage().contains("GET / HTTP/1.1"), e.getMessage());
        assertFalse(channel.finish());
    }

    @Test
    void garbageFailsWithASanitisedShortQuote() {
        String garbage = "\u0001\u0002" + "x".repeat(100);
        AgiProtocolException e = assertThrows(AgiProtocolException.class, () -> channel.writeInbound(text(garbage + "\n")));
        assertTrue(e.getMessage().contains("'??xxxx"), e.getMessage());
        assertTrue(e.getMessage().length() < 100, e.getMessage());
        assertFalse(channel.finish());
    }

    @Test
    void lineOfNineThousandBytesFails() {
        AgiProtocolException e = assertThrows(AgiProtocolException.class,
                () -> channel.writeInbound(text("agi_x: " + "y".repeat(9000 - 7) + "\n")));
        assertEquals("line length: 9000 (expected: <= 8192)", e.getMessage());
        assertFalse(channel.finish());
    }

    @Test
    void megabyteLineFailsAsSoonAsTheBoundIsPassedAndIsDiscarded() {
        environment();
        ByteBuf first = text("200 result=" + "1".repeat(8200));
        assertThrows(AgiProtocolException.class, () -> channel.writeInbound(first), "fails before any newline arrives");
        for (int i = 0; i < 127; i++) {
            assertFalse(channel.writeInbound(text("2".repeat(8192))), "the rest of the line is dropped, not buffered");
        }
        channel.writeInbound(text("tail of the long line\n200 result=1\n"));
        assertEquals("1", ((AgiReply) channel.readInbound()).result(), "the decoder resumes at the next line");
        assertFalse(channel.finish());
    }

    @Test
    void everyGetDataReply() {
        environment();
        assertReply("200 result=1234", "1234", Optional.empty());
        assertReply("200 result=1234 (timeout)", "1234", Optional.of("timeout"));
        assertReply("200 result=12 (timeout)", "12", Optional.of("timeout"));
        assertReply("200 result= (timeout)", "", Optional.of("timeout"));
        assertReply("200 result=", "", Optional.empty());
        assertReply("200 result=0012", "0012", Optional.empty());
        assertReply("200 result=*9#", "*9#", Optional.empty());
        assertReply("200 result=-1", "-1", Optional.empty());
        assertFalse(channel.finish());
    }

    @Test
    void streamFileAttributes() {
        environment();
        AgiReply reply = assertReply("200 result=0 endpos=8000", "0", Optional.empty());
        assertEquals(Map.of("endpos", "8000"), reply.attributes());
        reply = assertReply("200 result=-1 endpos=0", "-1", Optional.empty());
        assertEquals(Map.of("endpos", "0"), reply.attributes());
        reply = assertReply("200 result=0 (timeout) endpos=16000", "0", Optional.of("timeout"));
        assertEquals("16000", reply.attributes().get("endpos"));
        assertFalse(channel.finish());
    }

    @Test
    void getVariableRepliesAndDataWithParentheses() {
        environment();
        assertReply("200 result=1 (GOLD)", "1", Optional.of("GOLD"));
        assertReply("200 result=1 ()", "1", Optional.of(""));
        assertReply("200 result=0", "0", Optional.empty());
        assertReply("200 result=1 (value with spaces (and parens))", "1", Optional.of("value with spaces (and parens)"));
        assertReply("200 result=-2", "-2", Optional.empty());
        assertReply("200 result=0 Gosub complete", "0", Optional.of("Gosub complete"));
        assertFalse(channel.finish());
    }

    @Test
    void interimTryingLineIsSkipped() {
        environment();
        assertFalse(channel.writeInbound(text("100 result=0 Trying...\n")));
        assertEquals("0", reply("200 result=0\n").result());
        assertFalse(channel.finish());
    }

    @Test
    void errorReplies() {
        environment();
        AgiReply reply = reply("510 Invalid or unknown command\n");
        assertEquals(AgiStatus.INVALID_COMMAND, reply.status());
        assertEquals(Optional.of("Invalid or unknown command"), reply.data());
        assertEquals(AgiStatus.DEAD_CHANNEL, reply("511 Command Not Permitted on a dead channel or intercept routine\n").status());
        reply = reply("520 Invalid command syntax.  Proper usage not available.\n");
        assertEquals(AgiStatus.INVALID_SYNTAX, reply.status());
        assertEquals(List.of(), reply.usage());
        assertFalse(channel.finish());
    }

    @Test
    void multiLineUsageReplyFedByteByByte() {
        environment();
        byte[] bytes = ("520-Invalid command syntax.  Proper usage follows:\n"
                + "Stream the given <replaceable>file</replaceable>, and receive DTMF data.\n"
                + "Returns the digits received from the channel at the other end.\n"
                + "520 End of proper usage.\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length - 1; i++) assertFalse(channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1)));
        AgiReply reply = reply(Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1));
        assertEquals(AgiStatus.INVALID_SYNTAX, reply.status());
        assertEquals(2, reply.usage().size());
        assertTrue(reply.usage().get(1).startsWith("Returns the digits"));
        assertEquals("1", reply("200 result=1\n").result(), "back to replies after the usage");
        assertFalse(channel.finish());
    }

    @Test
    void hangupBeforeAndBetweenReplies() {
        environment();
        channel.writeInbound(text("HANGUP\n200 result=-1\nHANGUP\r\n511 Command Not Permitted on a dead channel or intercept routine\n"));
        assertSame(AgiHangup.INSTANCE, channel.readInbound());
        assertEquals("-1", ((AgiReply) channel.readInbound()).result());
        assertSame(AgiHangup.INSTANCE, channel.readInbound());
        assertEquals(AgiStatus.DEAD_CHANNEL, ((AgiReply) channel.readInbound()).status());
        assertFalse(channel.finish());
    }

    @Test
    void malformedRepliesFail() {
        environment();
        for (String line : List.of("", "200", "200 result", "200 foo=1", "300 result=1", "20x result=1", "200 result=1 (open")) {
            assertThrows(AgiProtocolException.class, () -> channel.writeInbound(text(line + "\n")), line);
            assertEquals("1", reply("200 result=1\n").result(), "a reply still decodes after '" + line + "'");
        }
        assertFalse(channel.finish());
    }

    private void environment() {
        channel.writeInbound(text(ENVIRONMENT));
        assertInstanceOf(AgiEnvironment.class, channel.readInbound());
    }

    private AgiReply assertReply(String line, String result, Optional<String> data) {
        AgiReply reply = reply(line + "\n");
        assertEquals(AgiStatus.SUCCESS, reply.status(), line);
        assertEquals(result, reply.result(), line);
        assertEquals(data, reply.data(), line);
        return reply;
    }

    private AgiReply reply(String text) {
        return reply(text(text));
    }

    private AgiReply reply(ByteBuf bytes) {
        assertTrue(channel.writeInbound(bytes));
        return channel.readInbound();
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
