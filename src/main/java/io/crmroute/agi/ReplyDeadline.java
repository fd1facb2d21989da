package io.crmroute.agi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.BridgeCommand;
import org.asteriskjava.fastagi.command.ConfbridgeCommand;
import org.asteriskjava.fastagi.command.ControlStreamFileCommand;
import org.asteriskjava.fastagi.command.DialCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetOptionCommand;
import org.asteriskjava.fastagi.command.GosubCommand;
import org.asteriskjava.fastagi.command.MeetmeCommand;
import org.asteriskjava.fastagi.command.QueueCommand;
import org.asteriskjava.fastagi.command.ReceiveCharCommand;
import org.asteriskjava.fastagi.command.ReceiveTextCommand;
import org.asteriskjava.fastagi.command.RecordFileCommand;
import org.asteriskjava.fastagi.command.SayAlphaCommand;
import org.asteriskjava.fastagi.command.SayDateTimeCommand;
import org.asteriskjava.fastagi.command.SayDigitsCommand;
import org.asteriskjava.fastagi.command.SayNumberCommand;
import org.asteriskjava.fastagi.command.SayPhoneticCommand;
import org.asteriskjava.fastagi.command.SayTimeCommand;
import org.asteriskjava.fastagi.command.SpeechRecognizeCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;

/**
 * How long the server waits for the reply to one command, counted once from when the command is
 * written (bytes that trickle in do not extend it). The rule:
 * <ul>
 * <li>Most commands (SET VARIABLE, GET VARIABLE, VERBOSE...) answer at once: {@code replyTimeout}.</li>
 * <li>GET DATA plays its prompt and then waits up to its timeout for each digit:
 * {@code replyTimeout + }{@value #PROMPT_ALLOWANCE_SECONDS}{@code  s for the prompt + timeout x maxDigits}.
 * A timeout of 0 means Asterisk's own digit timeouts, taken as {@value #ASTERISK_DIGIT_TIMEOUT_SECONDS} s
 * a digit; a negative one waits for ever and has no reply deadline.</li>
 * <li>WAIT FOR DIGIT: {@code replyTimeout + timeout}; no deadline when it waits for ever.</li>
 * <li>Commands whose length the server cannot know (STREAM FILE, EXEC, SAY..., RECORD FILE, Dial and
 * the like play audio or run an application): no reply deadline; the session deadline bounds them.</li>
 * </ul>
 * Past the deadline the session closes: a peer that trickles its reply or never answers costs one
 * connection for seconds, not for the whole session cap.
 */
final class ReplyDeadline {

    static final long PROMPT_ALLOWANCE_SECONDS = 30;
    static final long ASTERISK_DIGIT_TIMEOUT_SECONDS = 10;

    private static final Duration PROMPT_ALLOWANCE = Duration.ofSeconds(PROMPT_ALLOWANCE_SECONDS);
    private static final Duration ASTERISK_DIGIT_TIMEOUT = Duration.ofSeconds(ASTERISK_DIGIT_TIMEOUT_SECONDS);

    private static final List<Class<? extends AgiCommand>> UNKNOWN_LENGTH = List.of(StreamFileCommand.class,
            ControlStreamFileCommand.class, GetOptionCommand.class, RecordFileCommand.class, ExecCommand.class,
            GosubCommand.class, SayAlphaCommand.class, SayDateTimeCommand.class, SayDigitsCommand.class,
            SayNumberCommand.class, SayPhoneticCommand.class, SayTimeCommand.class, SpeechRecognizeCommand.class,
            DialCommand.class, QueueCommand.class, MeetmeCommand.class, ConfbridgeCommand.class, BridgeCommand.class,
            ReceiveCharCommand.class, ReceiveTextCommand.class);

    private ReplyDeadline() {}

    /** The time {@code command}'s reply may take, or empty when only the session deadline bounds it. */
    static Optional<Duration> of(AgiCommand command, Duration replyTimeout) {
        if (command instanceof GetDataCommand getData) {
            long timeout = getData.getTimeout();
            if (timeout < 0) return Optional.empty();
            Duration perDigit = timeout == 0 ? ASTERISK_DIGIT_TIMEOUT : Duration.ofMillis(timeout);
            return Optional.of(replyTimeout.plus(PROMPT_ALLOWANCE).plus(perDigit.multipliedBy(Math.max(1, getData.getMaxDigits()))));
        }
        if (command instanceof WaitForDigitCommand wait) {
            return wait.getTimeout() < 0 ? Optional.empty() : Optional.of(replyTimeout.plusMillis(wait.getTimeout()));
        }
        for (Class<? extends AgiCommand> type : UNKNOWN_LENGTH) {
            if (type.isInstance(command)) return Optional.empty();
        }
        return Optional.of(replyTimeout);
    }
}
