package io.crmroute.agi;

import static io.crmroute.agi.AgiConstants.MAX_ENVIRONMENT_LINES;
import static io.crmroute.agi.AgiConstants.MAX_LINE_LENGTH;
import static io.crmroute.agi.AgiConstants.MAX_USAGE_LINES;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes what Asterisk sends on a FastAGI connection into {@link AgiMessage}s: the {@code agi_*}
 * environment block once, then {@link AgiReply}s and {@link AgiHangup}s. Interim {@code 100} lines are
 * dropped. Lines end in {@code \n} ({@code \r\n} tolerated) and are bounded: a line longer than
 * {@value AgiConstants#MAX_LINE_LENGTH} bytes fails as soon as the bound is passed, before the rest of
 * it arrives, and the rest of it is discarded.
 */
final class AgiDecoder extends ByteToMessageDecoder {

    private enum State {
        READ_ENVIRONMENT, READ_REPLY, READ_USAGE
    }

    private State state = State.READ_ENVIRONMENT;
    private boolean environmentDone;
    private boolean discardingLine;
    private Map<String, String> environment = new LinkedHashMap<>();
    private List<String> usage = new ArrayList<>();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            for (;;) {
                switch (state) {
                    case READ_ENVIRONMENT:
                        if (!decodeEnvironmentLine(in, out)) return;
                        break;
                    case READ_REPLY:
                        if (!decodeReply(in, out)) return;
                        break;
                    case READ_USAGE:
                        if (!decodeUsageLine(in, out)) return;
                        break;
                    default:
                        throw new AgiProtocolException("unknown decoding state: " + state);
                }
            }
        } catch (AgiProtocolException e) {
            resetDecoder();
            throw e;
        } catch (RuntimeException e) {
            resetDecoder();
            throw new AgiProtocolException(e.toString());
        }
    }

    /** {@code agi_name: value}, or the blank line that ends the block. */
    private boolean decodeEnvironmentLine(ByteBuf in, List<Object> out) {
        String line = readLine(in);
        if (line == null) return false;
        if (line.isEmpty()) {
            if (environment.isEmpty()) throw AgiProtocolException.unexpected("environment line", line);
            out.add(new AgiEnvironment(environment));
            environmentDone = true;
            resetDecoder();
            return true;
        }
        if (environment.size() >= MAX_ENVIRONMENT_LINES) {
            throw new AgiProtocolException(
                    "environment lines: " + (environment.size() + 1) + " (expected: <= " + MAX_ENVIRONMENT_LINES + ")");
        }
        if (!line.startsWith("agi_")) throw AgiProtocolException.unexpected("environment line", line);
        int separator = line.indexOf(": ");
        String name;
        String value;
        if (separator >= 0) {
            name = line.substring(4, separator);
            value = line.substring(separator + 2);
        } else if (line.endsWith(":")) {
            name = line.substring(4, line.length() - 1);
            value = "";
        } else {
            throw AgiProtocolException.unexpected("environment line", line);
        }
        if (name.isEmpty() || environment.putIfAbsent(name, value) != null) {
            throw AgiProtocolException.unexpected("environment line", line);
        }
        return true;
    }

    private boolean decodeReply(ByteBuf in, List<Object> out) {
        String line = readLine(in);
        if (line == null) return false;
        if (AgiReplyParser.isHangup(line)) {
            out.add(AgiHangup.INSTANCE);
        } else if (AgiReplyParser.isUsageStart(line)) {
            state = State.READ_USAGE;
        } else if (!AgiReplyParser.isInterim(line)) {
            out.add(AgiReplyParser.parse(line));
        }
        return true;
    }

    /** The lines between {@code 520-...} and {@code 520 End of proper usage.} */
    private boolean decodeUsageLine(ByteBuf in, List<Object> out) {
        String line = readLine(in);
        if (line == null) return false;
        if (AgiReplyParser.isUsageEnd(line)) {
            out.add(AgiReplyParser.usage(usage));
            resetDecoder();
            return true;
        }
        if (usage.size() >= MAX_USAGE_LINES) {
            throw new AgiProtocolException("usage lines: " + (usage.size() + 1) + " (expected: <= " + MAX_USAGE_LINES + ")");
        }
        usage.add(line);
        return true;
    }

    /** The next whole line without its terminator, or {@code null} when it has not all arrived. */
    private String readLine(ByteBuf in) {
        if (discardingLine && !skipDiscardedLine(in)) return null;
        int start = in.readerIndex();
        int eol = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            // One byte of slack: a '\r' may be waiting for its '\n'.
            if (in.readableBytes() > MAX_LINE_LENGTH + 1) {
                int length = in.readableBytes();
                in.skipBytes(length);
                discardingLine = true;
                throw lineTooLong(length);
            }
            return null;
        }
        int end = eol > start && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        int length = end - start;
        in.readerIndex(eol + 1);
        if (length > MAX_LINE_LENGTH) throw lineTooLong(length);
        return in.toString(start, length, StandardCharsets.UTF_8);
    }

    /** Drops the rest of an over-long line; true once its {@code \n} has gone too. */
    private boolean skipDiscardedLine(ByteBuf in) {
        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            in.skipBytes(in.readableBytes());
            return false;
        }
        in.readerIndex(eol + 1);
        discardingLine = false;
        return true;
    }

    private static AgiProtocolException lineTooLong(int length) {
        return new AgiProtocolException("line length: " + length + " (expected: <= " + MAX_LINE_LENGTH + ")");
    }

    /** Back to the start of the next message: the environment until it is whole, then a reply. */
    private void resetDecoder() {
        state = environmentDone ? State.READ_REPLY : State.READ_ENVIRONMENT;
        environment = new LinkedHashMap<>();
        usage = new ArrayList<>();
    }
}
