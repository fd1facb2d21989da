package io.crmroute.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.agi.FakeAsterisk.Call;
import io.crmroute.agi.FakeAsterisk.Responder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.junit.jupiter.api.Test;

/** The fake itself, against a scripted blocking server: what it sends, what it answers, what it records. */
class FakeAsteriskTest {

    @Test
    void argumentsSplitLikeAsterisk() {
        assertEquals(List.of("SET", "VARIABLE", "X", "O\"Brien \\ Sons  Ltd"),
                FakeAsterisk.parseArgs("SET VARIABLE \"X\" \"O\\\"Brien \\\\ Sons  Ltd\""));
        assertEquals(List.of("SET", "VARIABLE", "X", ""), FakeAsterisk.parseArgs("SET VARIABLE X \"\""));
        assertEquals(List.of("STREAM", "FILE", "beep", ""), FakeAsterisk.parseArgs("STREAM FILE beep \"\""));
        assertEquals(List.of("a b", "cd"), FakeAsterisk.parseArgs("a\\ b  c\"d\""));
        String wire = new SetVariableCommand("N", "say \"hi\" c:\\dir").buildCommand();
        assertEquals("say \"hi\" c:\\dir", FakeAsterisk.parseArgs(wire).get(3), "asterisk-java's quoting round-trips");
    }

    @Test
    void defaultAnswersAreAsterisks() {
        Responder asterisk = Responder.asterisk();
        assertEquals(List.of("200 result= (timeout)"), asterisk.reply("GET DATA \"enter-account\" 5000 8"));
        assertEquals(List.of("200 result=1"), asterisk.reply("SET VARIABLE \"A\" \"b\""));
        assertEquals(3, asterisk.reply("SET VARIABLE A b c").size(), "five arguments: the multi-line 520");
        assertEquals(List.of("200 result=0"), asterisk.reply("GET VARIABLE \"A\""));
        assertEquals(List.of("200 result=0 endpos=3520"), asterisk.reply("STREAM FILE \"beep\" \"\""));
        assertEquals(List.of("200 result=1"), asterisk.reply("VERBOSE \"x\" 1"));
        assertEquals(List.of("510 Invalid or unknown command"), asterisk.reply("NOPE"));
        assertEquals(List.of("200 result=0012"), asterisk.withDigits("0012").reply("GET DATA \"x\""));
        assertEquals(List.of("200 result=1 (GOLD)"), asterisk.withVariables(Map.of("T", "GOLD")).reply("GET VARIABLE \"T\""));
    }

    @Test
    void hangUpAfterAnswersLikeADeadChannel() {
        Responder responder = Responder.asterisk().withDigits("7").hangUpAfter(1);
        assertEquals(List.of("200 result=7"), responder.reply("GET DATA \"x\""));
        assertEquals(List.of("HANGUP", "511 Command Not Permitted on a dead channel or intercept routine"),
                responder.reply("GET DATA \"x\""));
        assertEquals(List.of("200 result=1"), responder.reply("SET VARIABLE \"A\" \"b\""));
        assertEquals(List.of("511 Command Not Permitted on a dead channel or intercept routine"),
                responder.reply("STREAM FILE \"beep\" \"\""));
    }

    @Test
    void environmentMergesOverRealisticDefaults() {
        Map<String, String> overrides = new HashMap<>(FakeAsterisk.args("ACME 42", "x"));
        overrides.put("network_script", "gold?lang=en");
        overrides.put("dnid", null);
        String block = FakeAsterisk.environmentBlock(4573, overrides);
        assertTrue(block.startsWith("agi_network: yes\nagi_network_script: gold?lang=en\n"
                + "agi_request: agi://127.0.0.1:4573/gold?lang=en\nagi_channel: "), block);
        assertTrue(block.contains("\nagi_accountcode: \n"), "empty with its trailing space");
        assertTrue(block.endsWith("agi_arg_1: ACME 42\nagi_arg_2: x\n\n"), block);
        assertFalse(block.contains("agi_dnid"));
    }

    @Test
    void playsACallAgainstAServerAndRecordsWhatItSet() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> environment = CompletableFuture.supplyAsync(() -> scriptedServer(listener));
            Call call = FakeAsterisk.call(listener.getLocalPort(), Map.of("callerid", "15551230001"));
            assertEquals(List.of("SET VARIABLE \"CRM_name\" \"O\\\"Brien \\\\ Sons\"", "SET VARIABLE BAD a b"), call.commands());
            assertEquals(Map.of("CRM_name", "O\"Brien \\ Sons"), call.variables(), "the unquoted value; the 5-argument line is refused");
            assertTrue(call.closedByServer());
            String sent = environment.get(5, TimeUnit.SECONDS);
            assertTrue(sent.contains("agi_callerid: 15551230001\n"), sent);
            assertTrue(sent.endsWith("\n\n"), sent);
        }
    }

    /** Reads the environment, sends two commands, reads each reply through its last line, closes. */
    private static String scriptedServer(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String environment = readUntil(in, "\n\n");
            out.write("SET VARIABLE \"CRM_name\" \"O\\\"Brien \\\\ Sons\"\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("200 result=1\n", readUntil(in, "\n"));
            out.write("SET VARIABLE BAD a b\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(readUntil(in, "520 End of proper usage.\n").startsWith("520-"));
            return environment;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readUntil(InputStream in, String end) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while (!text.toString(StandardCharsets.UTF_8).endsWith(end)) {
            int b = in.read();
            if (b < 0) throw new IllegalStateException("closed early: " + text);
            text.write(b);
        }
        return text.toString(StandardCharsets.UTF_8);
    }
}
