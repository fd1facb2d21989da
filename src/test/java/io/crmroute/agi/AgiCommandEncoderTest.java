package io.crmroute.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.VerboseCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exact lines Asterisk receives: asterisk-java quotes every argument, escaping {@code \} and {@code "}. */
class AgiCommandEncoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(AgiCommandEncoder.INSTANCE);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void wireStrings() {
        assertWire(new GetDataCommand("enter-account", 5000, 8), "GET DATA \"enter-account\" 5000 8\n");
        assertWire(new GetDataCommand("enter-account"), "GET DATA \"enter-account\"\n");
        assertWire(new SetVariableCommand("CRMROUTE_STATUS", "MATCH"), "SET VARIABLE \"CRMROUTE_STATUS\" \"MATCH\"\n");
        assertWire(new SetVariableCommand("CRMROUTE_ERROR", ""), "SET VARIABLE \"CRMROUTE_ERROR\" \"\"\n");
        assertWire(new GetVariableCommand("ACCOUNT"), "GET VARIABLE \"ACCOUNT\"\n");
        assertWire(new StreamFileCommand("beep"), "STREAM FILE \"beep\" \"\"\n");
        assertWire(new VerboseCommand("routing call", 3), "VERBOSE \"routing call\" 3\n");
    }

    @Test
    void quoteBackslashAndSpacesAreEscapedInsideOneQuotedArgument() {
        assertWire(new SetVariableCommand("CRM_contacts_name", "O\"Brien \\ Sons  Ltd"),
                "SET VARIABLE \"CRM_contacts_name\" \"O\\\"Brien \\\\ Sons  Ltd\"\n");
    }

    @Test
    void newlineInAValueIsDroppedByAsteriskJava() {
        assertWire(new SetVariableCommand("X", "a\nb"), "SET VARIABLE \"X\" \"ab\"\n");
    }

    @Test
    void carriageReturnFailsTheWriteAndSendsNothing() {
        assertRejected(new SetVariableCommand("X", "a\rb"));
    }

    @Test
    void lineBreakOutsideQuotingFailsTheWrite() {
        assertRejected(new VerboseCommand("ok", 1) {
            @Override
            public String buildCommand() {
                return "VERBOSE \"ok\" 1\nEXEC Hangup";
            }
        });
    }

    /** {@code SET VARIABLE "X" "} and the closing quote are 19 characters: a value of 8171 makes a line of 8190. */
    @Test
    void aLineOf8190BytesIsSentAndOneOf8191IsNot() {
        assertWire(new SetVariableCommand("X", "y".repeat(8171)), "SET VARIABLE \"X\" \"" + "y".repeat(8171) + "\"\n");
        assertRejected(new SetVariableCommand("X", "y".repeat(8172)));
    }

    @Test
    void theBoundCountsBytesAsAsteriskReadsThem() {
        String twoByteFirst = "\u00e9" + "y".repeat(8169); // 8170 characters, 8171 bytes
        assertWire(new SetVariableCommand("X", twoByteFirst), "SET VARIABLE \"X\" \"" + twoByteFirst + "\"\n");
        assertRejected(new SetVariableCommand("X", twoByteFirst + "y"));
    }

    private void assertWire(AgiCommand command, String expected) {
        ChannelFuture write = channel.writeOneOutbound(command);
        channel.flushOutbound();
        ByteBuf wire = channel.readOutbound();
        try {
            assertEquals(expected, wire.toString(StandardCharsets.UTF_8));
            assertEquals(true, write.isSuccess());
        } finally {
            wire.release();
        }
    }

    private void assertRejected(AgiCommand command) {
        ChannelFuture write = channel.writeOneOutbound(command);
        channel.flushOutbound();
        assertFalse(write.isSuccess());
        assertInstanceOf(EncoderException.class, write.cause());
        assertInstanceOf(IllegalArgumentException.class, write.cause().getCause());
        assertNull(channel.readOutbound(), "nothing is sent");
        assertEquals(List.of(), List.copyOf(channel.outboundMessages()));
    }
}
