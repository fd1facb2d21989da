package io.crmroute.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The known set of callers, what each one types and what the fake CRM says about each: all pure
 * functions of the caller ID, so the expected decision of any call is computable.
 */
final class Callers {

    static final int COUNT = 1000;

    private Callers() {}

    static String random() {
        return callerId(ThreadLocalRandom.current().nextInt(COUNT));
    }

    static String callerId(int index) {
        return String.format("1555200%04d", index);
    }

    /** The DTMF digits this caller types: the last four of the number. */
    static String digits(String callerId) {
        return callerId.length() <= 4 ? callerId : callerId.substring(callerId.length() - 4);
    }

    /** The CRM's status field for this caller: GOLD/SILVER/BRONZE by last digit; 8 and 9 hit no rule. */
    static String crmValue(String callerId) {
        if (callerId.isEmpty()) return "";
        int last = callerId.charAt(callerId.length() - 1) - '0';
        if (last < 0 || last > 9) return "PLAIN";
        if (last <= 2) return "GOLD";
        if (last <= 5) return "SILVER";
        if (last <= 7) return "BRONZE";
        return "PLAIN";
    }

    /**
     * Why the variables a call received are wrong, or empty when right. {@code failureAllowed}: the
     * route may legitimately take the failure path (flaky CRM); {@code failureExpected}: it must.
     * A caller who hung up may get no decision at all, or HANGUP (with the digits pressed, if any), but
     * any other decision it gets must still be right.
     */
    static Optional<String> check(String callerId, boolean failureAllowed, boolean failureExpected, boolean hungUp,
                                  Map<String, String> received) {
        Map<String, String> actual = Variables.crmroute(received);
        String digits = digits(callerId);
        if (hungUp && (actual.isEmpty() || isFailure(actual))) return Optional.empty();
        if (hungUp && "HANGUP".equals(actual.get("CRMROUTE_STATUS"))) {
            Map<String, String> hangUp = new LinkedHashMap<>(Map.of("CRMROUTE_STATUS", "HANGUP", "CRMROUTE_RULE", "hangup"));
            if (actual.containsKey("CRMROUTE_DIGITS")) hangUp.put("CRMROUTE_DIGITS", digits);
            return Variables.compare(hangUp, actual);
        }
        if (isFailure(actual)) {
            if (!failureAllowed && !failureExpected) return Optional.of("unexpected failure path: " + actual);
            Optional<String> wrong = Variables.compare(BenchRoutes.failed(digits, "*"), actual);
            if (wrong.isPresent() && hungUp) {
                return Variables.compare(BenchRoutes.failed("", "*"), actual);
            }
            return wrong;
        }
        if (failureExpected) return Optional.of("expected the failure path, got " + actual);
        Optional<String> wrong = Variables.compare(BenchRoutes.decide(crmValue(callerId), digits), actual);
        if (wrong.isPresent() && hungUp) {
            // Hung up before GET DATA: no digits to send; the decision on the caller ID alone still holds.
            return Variables.compare(BenchRoutes.decide(crmValue(callerId), ""), actual);
        }
        return wrong;
    }

    private static boolean isFailure(Map<String, String> actual) {
        return "FAILED".equals(actual.get("CRMROUTE_STATUS"));
    }
}
