package io.crmroute.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OperatorTest {

    @Test
    void numbersCompareAsNumbersWhenBothSidesAreNumbers() {
        assertTrue(Operator.GE.test("1000.00", "1000"));
        assertTrue(Operator.EQ.test("1e3", "1000"));
        assertTrue(Operator.LT.test("9", "10"), "numerically 9 < 10 though \"9\" > \"10\" as text");
        assertFalse(Operator.GT.test("-5", "3"));
    }

    @Test
    void anythingElseIsAnExactStringComparison() {
        assertTrue(Operator.EQ.test("GOLD", "GOLD"));
        assertFalse(Operator.EQ.test("gold", "GOLD"), "case matters");
        assertTrue(Operator.NE.test("GOLD ", "GOLD"), "spaces matter outside numbers");
        assertTrue(Operator.LT.test("10", "9x"), "one side not numeric: text order, so \"10\" < \"9x\"");
    }

    @Test
    void aMissingValueIsTheEmptyString() {
        assertTrue(Operator.EQ.test(null, ""));
        assertTrue(Operator.NE.test(null, "GOLD"));
        assertFalse(Operator.GE.test(null, "1000"));
    }

    @Test
    void symbolsAreTheConfigSpelling() {
        for (Operator op : Operator.values()) assertEquals(op, Operator.bySymbol(op.symbol()).orElseThrow());
        assertTrue(Operator.bySymbol("=~").isEmpty());
    }
}
