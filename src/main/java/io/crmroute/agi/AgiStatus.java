package io.crmroute.agi;

import java.util.Optional;

/** The status code that starts a reply line, and what it means. */
public enum AgiStatus {
    SUCCESS(200), INVALID_COMMAND(510), DEAD_CHANNEL(511), INVALID_SYNTAX(520);

    private final int code;

    AgiStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<AgiStatus> byCode(int code) {
        for (AgiStatus status : values()) {
            if (status.code == code) return Optional.of(status);
        }
        return Optional.empty();
    }
}
