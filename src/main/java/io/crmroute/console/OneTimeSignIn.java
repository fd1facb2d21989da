package io.crmroute.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A generated admin token and the code that hands it out once: the log shows a link with the code,
 * never the token, and the code is spent by its first use, so a log read later signs nobody in.
 */
public final class OneTimeSignIn {

    private final String code;
    private final String token;
    private final AtomicBoolean spent = new AtomicBoolean();

    OneTimeSignIn(String code, String token) {
        this.code = code;
        this.token = token;
    }

    /** The code for the sign-in link. */
    public String code() {
        return code;
    }

    String token() {
        return token;
    }

    /** The token, for the first caller with the right code; empty for every other. */
    Optional<String> redeem(String presented) {
        if (presented == null) return Optional.empty();
        boolean right = MessageDigest.isEqual(code.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
        if (!right || !spent.compareAndSet(false, true)) return Optional.empty();
        return Optional.of(token);
    }

    @Override
    public String toString() {
        return "OneTimeSignIn[code=***, token=***]";
    }
}
