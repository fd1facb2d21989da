package io.crmroute.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asterisk's side of one FastAGI session, as agi-protocol.md describes it: the environment block, then one
 * reply per command line until the server closes. A caller who hangs up gets an unsolicited {@code HANGUP}
 * line, after which channel commands get 511 while SET/GET VARIABLE and VERBOSE still answer 200.
 * Runs on the load generator's event loop; reports to its {@link LoadRun} once, when the channel closes.
 */
final class AsteriskSession extends SimpleChannelInboundHandler<ByteBuf> {

    /** When a hanging-up caller hangs up. */
    enum Hangup { NEVER, BEFORE_DTMF, AFTER_DTMF }

    private static final String DEAD = "511 Command Not Permitted on a dead channel or intercept routine\n";

    final String callerId;
    final String uniqueId;
    final Hangup hangup;
    final long startNanos;
    final Map<String, String> variables = new LinkedHashMap<>();
    private final LoadRun run;
    private final String route;
    private final int port;
    boolean hungUp;
    int commands;
    boolean protocolError;
    String protocolSample;
    boolean ioError;
    boolean timedOut;
    boolean finished;

    AsteriskSession(LoadRun run, String route, int port, String callerId, String uniqueId, Hangup hangup, long startNanos) {
        this.run = run;
        this.route = route;
        this.port = port;
        this.callerId = callerId;
        this.uniqueId = uniqueId;
        this.hangup = hangup;
        this.startNanos = startNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String block = environment();
        if (hangup == Hangup.BEFORE_DTMF) {
            block += "HANGUP\n";
            hungUp = true;
        }
        write(ctx, block);
    }

    private String environment() {
        return "agi_network: yes\n"
                + "agi_network_script: " + route + "\n"
                + "agi_request: agi://127.0.0.1:" + port + "/" + route + "\n"
                + "agi_channel: PJSIP/trunk-" + uniqueId.replace('.', '-') + "\n"
                + "agi_language: en\n"
                + "agi_type: PJSIP\n"
                + "agi_uniqueid: " + uniqueId + "\n"
                + "agi_version: 20.10.0\n"
                + "agi_callerid: " + callerId + "\n"
                + "agi_calleridname: unknown\n"
                + "agi_callingpres: 0\n"
                + "agi_callingani2: 0\n"
                + "agi_callington: 0\n"
                + "agi_callingtns: 0\n"
                + "agi_dnid: 18005550100\n"
                + "agi_rdnis: unknown\n"
                + "agi_context: from-trunk\n"
                + "agi_extension: 18005550100\n"
                + "agi_priority: 2\n"
                + "agi_enhanced: 0.0\n"
                + "agi_accountcode: \n"
                + "agi_threadid: 1402123" + Math.abs(uniqueId.hashCode()) + "\n"
                + "\n";
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        String line = frame.toString(StandardCharsets.UTF_8);
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        commands++;
        write(ctx, reply(line));
        if (hangup == Hangup.AFTER_DTMF && !hungUp && startsWith(line, "GET DATA")) {
            hungUp = true;
            write(ctx, "HANGUP\n");
        }
    }

    /** The reply Asterisk gives; agi-protocol.md's "Seen on a real Asterisk" section. */
    private String reply(String line) {
        if (startsWith(line, "SET VARIABLE")) {
            List<String> args = split(line);
            if (args.size() != 4) {
                protocol(line);
                return "520-Invalid command syntax.  Proper usage follows:\nUsage: SET VARIABLE <variablename> <value>\n"
                        + "520 End of proper usage.\n";
            }
            variables.put(args.get(2), args.get(3));
            return "200 result=1\n";
        }
        if (startsWith(line, "GET VARIABLE") || startsWith(line, "GET FULL VARIABLE")) return "200 result=0\n";
        if (startsWith(line, "VERBOSE") || startsWith(line, "NOOP")) return "200 result=1\n";
        if (hungUp) return DEAD;
        if (startsWith(line, "GET DATA")) {
            if (split(line).size() < 3) {
                protocol(line);
                return "520 Invalid command syntax.  Proper usage not available.\n";
            }
            return "200 result=" + Callers.digits(callerId) + "\n";
        }
        if (startsWith(line, "ANSWER")) return "200 result=0\n";
        if (startsWith(line, "STREAM FILE")) return "200 result=0 endpos=3520\n";
        if (startsWith(line, "CHANNEL STATUS")) return "200 result=6\n";
        if (startsWith(line, "EXEC")) return "200 result=0\n";
        if (startsWith(line, "HANGUP")) {
            hungUp = true;
            return "200 result=1\n";
        }
        if (startsWith(line, "SET ") || startsWith(line, "SAY ") || startsWith(line, "DATABASE ")) return "200 result=0\n";
        protocol(line);
        return "510 Invalid or unknown command\n";
    }

    private void protocol(String line) {
        protocolError = true;
        if (protocolSample == null) protocolSample = line.length() > 120 ? line.substring(0, 120) : line;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        run.finish(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) ioError = true;
        else protocol("decoder: " + cause.getMessage());
        ctx.close();
    }

    private static void write(ChannelHandlerContext ctx, String text) {
        ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), text));
    }

    private static boolean startsWith(String line, String verb) {
        return line.regionMatches(true, 0, verb, 0, verb.length());
    }

    /** Splits a command line as Asterisk does: whitespace separates, {@code "} quotes, {@code \} escapes. */
    static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean escaped = false;
        boolean inArg = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (escaped) {
                current.append(c);
                escaped = false;
                inArg = true;
            } else if (c == '\\') {
                escaped = true;
                inArg = true;
            } else if (c == '"') {
                quoted = !quoted;
                inArg = true;
            } else if (!quoted && (c == ' ' || c == '\t')) {
                if (inArg) args.add(current.toString());
                current.setLength(0);
                inArg = false;
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (inArg) args.add(current.toString());
        return args;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "caller %s (%s, hangup %s, %d commands)", callerId, uniqueId, hangup, commands);
    }
}
