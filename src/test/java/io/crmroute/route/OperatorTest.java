package io.crmroute.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
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

    @Test
    void everyNumberBigDecimalReadsStillComparesAsANumber() {
        assertTrue(Operator.EQ.test("+1.5E+2", "150"));
        assertTrue(Operator.EQ.test(".5", "0.5"));
        assertTrue(Operator.EQ.test("5.", "5"));
        assertTrue(Operator.EQ.test(" 1e-1 ", "0.1"));
        assertTrue(Operator.EQ.test("\u0663", "3"), "BigDecimal reads any Unicode digit");
    }

    @Test
    void agreesWithPlainBigDecimalParsingOnTrickyValues() {
        List<String> values = List.of("", " ", "0", "-0", "+", "-", ".", "e", "E5", "1e", "1e+", "1.2.3", "--1", "+-1",
                "1e5e5", "12a", "GOLD", "NaN", "Infinity", "0x10", "1_000", "1,000", "\u0663\u0660", "1" + "0".repeat(39),
                "1" + "0".repeat(40), "9x", "10", "1000.00", "1e3", "-5", "3", "\u00bd", "\u2167", "1d", "1f", "1L");
        for (String left : values) {
            for (String right : values) {
                for (Operator op : Operator.values()) {
                    assertEquals(reference(op, left, right), op.test(left, right), () -> "'" + left + "' " + op.symbol() + " '" + right + "'");
                }
            }
        }
    }

    /** The rule as written before the character check: BigDecimal decides what is a number. */
    private static boolean reference(Operator op, String actual, String expected) {
        BigDecimal left = referenceNumber(actual);
        BigDecimal right = referenceNumber(expected);
        int order = left != null && right != null ? left.compareTo(right) : actual.compareTo(expected);
        switch (op) {
            case EQ: return order == 0;
            case NE: return order != 0;
            case LT: return order < 0;
            case GT: return order > 0;
            case LE: return order <= 0;
            default: return order >= 0;
        }
    }

    private static BigDecimal referenceNumber(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 40) return null;
        try {
            return new BigDecimal(trimmed);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
