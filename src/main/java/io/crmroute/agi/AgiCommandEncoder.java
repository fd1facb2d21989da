package io.crmroute.agi;

import static io.crmroute.agi.AgiConstants.MAX_COMMAND_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.asteriskjava.fastagi.command.AgiCommand;

/**
 * Writes one asterisk-java command as one line. A line Asterisk would split or truncate (a
 * {@code \r} or {@code \n} inside, more than {@value AgiConstants#MAX_COMMAND_LENGTH} bytes before
 * the newline) fails the
 * write and nothing is sent: half a command would be read by Asterisk as two.
 */
@Sharable
final class AgiCommandEncoder extends MessageToByteEncoder<AgiCommand> {

    static final AgiCommandEncoder INSTANCE = new AgiCommandEncoder();

    private AgiCommandEncoder() {
        super(AgiCommand.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, AgiCommand command, ByteBuf out) {
        String line = AgiCommandLine.of(command);
        if (line == null || line.isEmpty()) throw new IllegalArgumentException("empty command: " + command.getClass().getSimpleName());
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("command line contains a line break: " + AgiConstants.sanitise(line));
        }
        int length = ByteBufUtil.utf8Bytes(line);
        if (length > MAX_COMMAND_LENGTH) {
            throw new IllegalArgumentException("command length: " + length + " (expected: <= " + MAX_COMMAND_LENGTH + ")");
        }
        out.ensureWritable(length + 1);
        ByteBufUtil.writeUtf8(out, line);
        out.writeByte('\n');
    }
}
