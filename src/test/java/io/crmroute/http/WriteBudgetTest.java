package io.crmroute.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WriteBudgetTest {

    @Test
    void answersFitUntilTheBudgetIsSpentAndFitAgainOnceWritten() {
        WriteBudget budget = new WriteBudget(100);
        assertTrue(budget.tryTake(60));
        assertTrue(budget.tryTake(40));
        assertFalse(budget.tryTake(1), "spent");

        budget.give(60);
        assertTrue(budget.tryTake(50));
        assertEquals(90, budget.queued());
    }

    @Test
    void oneAnswerLargerThanTheBudgetIsStillServedWhenNothingElseWaits() {
        WriteBudget budget = new WriteBudget(100);
        assertTrue(budget.tryTake(1000));
        assertFalse(budget.tryTake(1));
        budget.give(1000);
        assertEquals(0, budget.queued());
    }
}
