package io.crmroute.agi;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays Asterisk's side of one FastAGI call over a real blocking socket, for tests anywhere in
 * crmroute. It connects, sends an environment block, answers every command line through a {@link
 * Responder}, and stops when the server closes the connection. Every read waits at most
 * {@link #DEFAULT_TIMEOUT} (or the timeout given): a server that stalls fails the test with a
 * {@link java.net.SocketTimeoutException} instead of hanging it.
 *
 * <pre>{@code
 * FakeAsterisk.Call call = FakeAsterisk.call(server.port(), Map.of("network_script", "vip", "callerid", "15551230001"),
 *         Responder.asterisk().withDigits("1234"));
 * assertEquals("MATCH", call.variables().get("CRMROUTE_STATUS"));
 * assertTrue(call.closedByServer());
 * }</pre>
 *
 * {@link Call#variables()} holds what Asterisk would have set: each {@code SET VARIABLE} line is split
 * into arguments the way res_agi.c's {@code parse_args} does ({@code "..."} quoting, {@code \} escapes),
 * and only a command of exactly four arguments that got a 200 reply counts, as in Asterisk.
 */
public final class FakeAsterisk {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Put this among a responder's reply lines to close the connection there, as Asterisk may mid-command. */
    public static final String CLOSE_CONNECTION = "<close connection>";

    private FakeAsterisk() {}

    /** One finished call, as Asterisk saw it. {@code elapsed} is for messages: tests assert order, never wall time. */
    public record Call(Map<String, String> variables, List<String> commands, boolean closedByServer, Duration elapsed) {

        public Call {
            variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
            commands = List.copyOf(commands);
        }
    }

    /**
     * What Asterisk answers to one command line: the reply lines to send, in order, without newlines
     * ({@code List.of("200 result=1234")}; {@code List.of()} sends nothing and waits for the next
     * command). Build on {@link #asterisk()}; the {@code with...} decorators answer their own verb
     * and pass everything else on.
     */
    @FunctionalInterface
    public interface Responder {

        List<String> reply(String commandLine);

        /**
         * Answers like Asterisk on a live channel where nobody presses anything: GET DATA
         * {@code 200 result= (timeout)}, SET VARIABLE {@code 200 result=1} (the multi-line 520 when it
         * does not have exactly four arguments), GET VARIABLE {@code 200 result=0}, STREAM FILE
         * {@code 200 result=0 endpos=3520}, VERBOSE {@code 200 result=1}, anything else
         * {@code 510 Invalid or unknown command}.
         */
        static Responder asterisk() {
            return FakeAsterisk::answerLikeAsterisk;
        }

        /** GET DATA answers these digits ({@code ""}: nothing pressed, {@code 200 result= (timeout)}). */
        default Responder withDigits(String digits) {
            return line -> verb(line).equals("GET DATA")
                    ? List.of(digits.isEmpty() ? "200 result= (timeout)" : "200 result=" + digits)
                    : reply(line);
        }

        /** GET VARIABLE answers {@code 200 result=1 (value)} for these, {@code 200 result=0} for others. */
        default Responder withVariables(Map<String, String> channelVariables) {
            return line -> {
                List<String> args = parseArgs(line);
                if (!verb(line).equals("GET VARIABLE") || args.size() != 3) return reply(line);
                String value = channelVariables.get(args.get(2));
                return List.of(value == null ? "200 result=0" : "200 result=1 (" + value + ")");
            };
        }

        /**
         * The caller hangs up after {@code commands} commands have been answered: before the next reply
         * Asterisk writes {@code HANGUP} once; from then on channel commands get 511, while SET VARIABLE,
         * GET VARIABLE and VERBOSE are still answered by this responder. Stateful: one per call.
         */
        default Responder hangUpAfter(int commands) {
            AtomicInteger answered = new AtomicInteger();
            return line -> {
                int count = answered.incrementAndGet();
                if (count <= commands) return reply(line);
                List<String> lines = new ArrayList<>();
                if (count == commands + 1) lines.add("HANGUP");
                String verb = verb(line);
                boolean stillAnswered = verb.equals("SET VARIABLE") || verb.equals("GET VARIABLE") || verb.equals("VERBOSE");
                lines.addAll(stillAnswered ? reply(line) : List.of("511 Command Not Permitted on a dead channel or intercept routine"));
                return lines;
            };
        }
    }

    /** Runs one call against 127.0.0.1:{@code port} with Asterisk's default answers. */
    public static Call call(int port, Map<String, String> environment) throws IOException {
        return call(port, environment, Responder.asterisk());
    }

    /**
     * Runs one call against 127.0.0.1:{@code port}. {@code environment} (keys without {@code agi_}) is
     * merged over {@link #defaultEnvironment}; a {@code null} value removes a default. Returns when
     * the server closes the connection, or when a reply contained {@link #CLOSE_CONNECTION}.
     */
    public static Call call(int port, Map<String, String> environment, Responder responder) throws IOException {
        return call(port, environment, responder, DEFAULT_TIMEOUT);
    }

    public static Call call(int port, Map<String, String> environment, Responder responder, Duration timeout) throws IOException {
        return call(port, environment, responder, timeout, new CompletableFuture<>());
    }

    /**
     * Runs one call like {@link #call(int, Map, Responder)}, and writes an unsolicited {@code HANGUP} line as
     * soon as {@code hangUp} completes, whatever the server is doing: the caller hanging up while the server
     * waits for a CRM, with no command in flight. The responder goes on answering what follows.
     */
    public static Call callAndHangUp(int port, Map<String, String> environment, Responder responder, CompletionStage<?> hangUp)
            throws IOException {
        return call(port, environment, responder, DEFAULT_TIMEOUT, hangUp);
    }

    private static Call call(int port, Map<String, String> environment, Responder responder, Duration timeout,
                             CompletionStage<?> hangUp) throws IOException {
        long started = System.nanoTime();
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> commands = new ArrayList<>();
        boolean closedByServer = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            write(out, List.of(environmentBlock(port, environment)));
            hangUp.thenRun(() -> {
                try {
                    write(out, List.of("HANGUP\n"));
                } catch (IOException closed) {
                    // the call is already over
                }
            });
            calling:
            for (String line = readLine(in); ; line = readLine(in)) {
                if (line == null) {
                    closedByServer = true;
                    break;
                }
                commands.add(line);
                List<String> replies = responder.reply(line);
                List<String> lines = new ArrayList<>();
                boolean close = false;
                for (String reply : replies) {
                    if (reply.equals(CLOSE_CONNECTION)) {
                        close = true;
                        break;
                    }
                    lines.add(reply + "\n");
                }
                write(out, lines);
                if (close) break calling;
                recordVariable(line, replies, variables);
            }
        }
        return new Call(variables, commands, closedByServer, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Whole lines at a time: an unsolicited HANGUP never lands inside a reply. */
    private static void write(OutputStream out, List<String> lines) throws IOException {
        synchronized (out) {
            for (String line : lines) out.write(line.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /**
     * Realistic defaults from agi-protocol.md, in Asterisk's order, for route {@code vip}:
     * network yes, network_script vip, request agi://127.0.0.1:PORT/vip, channel, language, type,
     * uniqueid, version, callerid 15551230001, calleridname unknown, calling*, dnid, rdnis, context,
     * extension, priority, enhanced, accountcode (empty), threadid.
     */
    public static Map<String, String> defaultEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("network", "yes");
        env.put("network_script", "vip");
        env.put("request", null); // filled in from the port and the script
        env.put("channel", "PJSIP/trunk-00000012");
        env.put("language", "en");
        env.put("type", "PJSIP");
        env.put("uniqueid", "1732170000.42");
        env.put("version", "20.10.0");
        env.put("callerid", "15551230001");
        env.put("calleridname", "unknown");
        env.put("callingpres", "0");
        env.put("callingani2", "0");
        env.put("callington", "0");
        env.put("callingtns", "0");
        env.put("dnid", "18005550100");
        env.put("rdnis", "unknown");
        env.put("context", "from-trunk");
        env.put("extension", "18005550100");
        env.put("priority", "2");
        env.put("enhanced", "0.0");
        env.put("accountcode", "");
        env.put("threadid", "140212345678912");
        return env;
    }

    /** {@code arg_1..arg_N} for AGI() arguments, to merge into an environment. */
    public static Map<String, String> args(String... args) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) env.put("arg_" + (i + 1), args[i]);
        return env;
    }

    /** The environment block as Asterisk writes it, blank line included. */
    public static String environmentBlock(int port, Map<String, String> environment) {
        Map<String, String> env = defaultEnvironment();
        Map<String, String> overrides = new HashMap<>(environment);
        overrides.forEach((name, value) -> {
            if (value == null) env.remove(name);
            else env.put(name, value);
        });
        if (env.containsKey("request") && env.get("request") == null && !overrides.containsKey("request")) {
            String script = env.get("network_script");
            env.put("request", "agi://127.0.0.1:" + port + (script == null ? "" : "/" + script));
        }
        StringBuilder block = new StringBuilder();
        env.forEach((name, value) -> {
            if (value != null) block.append("agi_").append(name).append(": ").append(value).append('\n');
        });
        return block.append('\n').toString();
    }

    /** A command line split into arguments as Asterisk's {@code parse_args} does: quotes group, {@code \} escapes. */
    public static List<String> parseArgs(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = null;
        boolean quoted = false;
        boolean escaped = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && !escaped) {
                quoted = !quoted;
                if (quoted && current == null) current = new StringBuilder(); // a quote starts a word, even ""
            } else if ((c == ' ' || c == '\t') && !quoted && !escaped) {
                if (current != null) args.add(current.toString());
                current = null;
            } else if (c == '\\' && !escaped) {
                escaped = true;
                continue;
            } else {
                if (current == null) current = new StringBuilder();
                current.append(c);
            }
            escaped = false;
        }
        if (current != null) args.add(current.toString());
        return args;
    }

    /** {@code GET DATA}, {@code SET VARIABLE}, {@code VERBOSE}...: the command's name, upper case. */
    static String verb(String line) {
        List<String> args = parseArgs(line);
        if (args.isEmpty()) return "";
        String first = args.get(0).toUpperCase(Locale.ROOT);
        boolean twoWords = List.of("GET", "SET", "STREAM", "SAY", "DATABASE", "CONTROL", "RECEIVE", "SEND", "SPEECH", "CHANNEL")
                .contains(first);
        return twoWords && args.size() > 1 ? first + " " + args.get(1).toUpperCase(Locale.ROOT) : first;
    }

    private static List<String> answerLikeAsterisk(String line) {
        int argc = parseArgs(line).size();
        switch (verb(line)) {
            case "GET DATA":
                return argc >= 3 ? List.of("200 result= (timeout)") : usage("Stream the given <replaceable>file</replaceable>, and receive DTMF data.");
            case "SET VARIABLE":
                return argc == 4 ? List.of("200 result=1") : usage("Sets a variable to the current channel.");
            case "GET VARIABLE":
                return argc == 3 ? List.of("200 result=0") : usage("Returns <literal>0</literal> if <replaceable>variablename</replaceable> is not set.");
            case "STREAM FILE":
                return argc >= 4 ? List.of("200 result=0 endpos=3520") : usage("Send the given file, allowing playback to be interrupted by the given digits, if any.");
            case "VERBOSE":
                return List.of("200 result=1");
            default:
                return List.of("510 Invalid or unknown command");
        }
    }

    private static List<String> usage(String text) {
        return List.of("520-Invalid command syntax.  Proper usage follows:", text, "520 End of proper usage.");
    }

    private static void recordVariable(String line, List<String> replies, Map<String, String> variables) {
        List<String> args = parseArgs(line);
        boolean answered = !replies.isEmpty() && replies.get(replies.size() - 1).startsWith("200 ");
        if (verb(line).equals("SET VARIABLE") && args.size() == 4 && answered) variables.put(args.get(2), args.get(3));
    }

    /** One line without its {@code \n}, or {@code null} at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
