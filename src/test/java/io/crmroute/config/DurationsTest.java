package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsWholeNumbersWithAUnit() {
        assertEquals(Duration.ofMillis(400), Durations.parse("400ms"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("2s"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
        assertEquals(Duration.ofHours(3), Durations.parse("3h"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1500ms"));
    }

    @Test
    void anythingElseSaysWhatIsExpected() {
        for (String bad : new String[] {"", "5", "1.5s", "-2s", "2 s", "2S", "2sec", "ms", "0s", "1234567890ms", "PT2S"}) {
            IllegalArgumentException problem = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertTrue(problem.getMessage().startsWith("expected a duration like 400ms, 2s or 1m"), problem.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    }

    @Test
    void formatsTheShortestTextThatReadsBack() {
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("5s", Durations.format(Duration.ofSeconds(5)));
        assertEquals("2m", Durations.format(Duration.ofSeconds(120)));
        assertEquals("1h", Durations.format(Duration.ofMinutes(60)));
        for (String text : new String[] {"1ms", "999ms", "61s", "90m", "25h"}) {
            assertEquals(Durations.parse(text), Durations.parse(Durations.format(Durations.parse(text))), text);
        }
    }
}
