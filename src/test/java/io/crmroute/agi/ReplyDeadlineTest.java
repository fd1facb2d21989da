package io.crmroute.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.junit.jupiter.api.Test;

class ReplyDeadlineTest {

    private static final Duration REPLY = Duration.ofSeconds(5);

    @Test
    void aCommandThatAnswersAtOnceGetsTheReplyTimeout() {
        assertEquals(Optional.of(REPLY), ReplyDeadline.of(new SetVariableCommand("CRMROUTE_STATUS", "MATCH"), REPLY));
        assertEquals(Optional.of(REPLY), ReplyDeadline.of(new GetVariableCommand("ACCOUNT"), REPLY));
    }

    @Test
    void getDataGetsItsPromptAndEachDigitOnTop() {
        // 5 s + 30 s for the prompt + 4 digits x 3 s
        assertEquals(Optional.of(Duration.ofSeconds(47)), ReplyDeadline.of(new GetDataCommand("enter-account", 3000, 4), REPLY));
        // no timeout given: Asterisk's own digit timeouts, 10 s a digit at most
        assertEquals(Optional.of(Duration.ofSeconds(75)), ReplyDeadline.of(new GetDataCommand("enter-account", 0, 4), REPLY));
        assertEquals(Optional.empty(), ReplyDeadline.of(new GetDataCommand("enter-account", -1, 4), REPLY), "waits for ever");
    }

    @Test
    void waitForDigitGetsItsTimeoutOnTop() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), ReplyDeadline.of(new WaitForDigitCommand(2000), REPLY));
        assertEquals(Optional.empty(), ReplyDeadline.of(new WaitForDigitCommand(-1), REPLY));
    }

    @Test
    void commandsOfUnknownLengthAreBoundOnlyByTheSession() {
        assertEquals(Optional.empty(), ReplyDeadline.of(new StreamFileCommand("welcome"), REPLY));
        assertEquals(Optional.empty(), ReplyDeadline.of(new ExecCommand("Playback", "welcome"), REPLY));
    }
}
