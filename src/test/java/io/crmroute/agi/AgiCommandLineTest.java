package io.crmroute.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.VerboseCommand;
import org.junit.jupiter.api.Test;

/** The fast lines are asterisk-java's lines: its {@code buildCommand()} is the reference for every string. */
class AgiCommandLineTest {

    private static final List<String> TRICKY = List.of("", "MATCH", "CRMROUTE_STATUS", "two  spaces", " lead", "trail ",
            "\"", "\"\"", "\\", "\\\\", "\\\"", "\"\\", "O\"Brien \\ Sons", "a\nb", "\n", "\n\n\\\n\"", "a\rb", "\r\n", "tab\there",
            "$1 \\1 $0", "x\\", "\"x", "caf\u00e9", "\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9", "\u65e5\u672c\u8a9e", "\uD83D\uDE00 emoji",
            "\u0000nul", "\u2028sep", "${VAR}", "a;b|c&d", "%s %n %%", "'single'");

    @Test
    void setVariableMatchesAsteriskJavaForTrickyStrings() {
        for (String name : TRICKY) {
            for (String value : TRICKY) assertSame(new SetVariableCommand(name, value));
        }
    }

    @Test
    void nullArgumentsMatchAsteriskJava() {
        assertSame(new SetVariableCommand(null, null));
        assertSame(new SetVariableCommand("X", null));
        assertSame(new GetVariableCommand(null));
        assertSame(new GetDataCommand(null));
    }

    @Test
    void getVariableAndEveryGetDataFormMatchAsteriskJava() {
        for (String text : TRICKY) {
            assertSame(new GetVariableCommand(text));
            assertSame(new GetDataCommand(text));
            assertSame(new GetDataCommand(text, 5000));
            assertSame(new GetDataCommand(text, 0, 4));
            assertSame(new GetDataCommand(text, 5000, 4));
            assertSame(new GetDataCommand(text, 5000, 1024));
            assertSame(new GetDataCommand(text, -1, 1));
        }
    }

    @Test
    void randomStringsOverTheEscapedAlphabetMatchAsteriskJava() {
        char[] alphabet = {'a', 'Z', '0', ' ', '\\', '"', '\n', '\r', '\t', '$', '\u00e9', '\uD83D', '\uDE00'};
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            StringBuilder name = new StringBuilder();
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) name.append(alphabet[random.nextInt(alphabet.length)]);
            for (int n = random.nextInt(40); n > 0; n--) value.append(alphabet[random.nextInt(alphabet.length)]);
            assertSame(new SetVariableCommand(name.toString(), value.toString()));
            assertSame(new GetDataCommand(value.toString(), random.nextInt(3) * 2500L, random.nextBoolean() ? 1024 : 1 + random.nextInt(20)));
        }
    }

    @Test
    void otherCommandsAndSubclassesAreBuiltByAsteriskJava() {
        List<AgiCommand> others = new ArrayList<>(List.of(new VerboseCommand("routing \"call\"", 3)));
        others.add(new SetVariableCommand("X", "y") {
            @Override
            public String buildCommand() {
                return "SET VARIABLE X overridden";
            }
        });
        for (AgiCommand command : others) assertSame(command);
        assertEquals("SET VARIABLE X overridden", AgiCommandLine.of(others.get(1)));
    }

    private static void assertSame(AgiCommand command) {
        assertEquals(command.buildCommand(), AgiCommandLine.of(command), () -> "line of " + command);
    }
}
