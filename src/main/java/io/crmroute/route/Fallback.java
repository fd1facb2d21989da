package io.crmroute.route;

import java.util.Objects;

/** A destination for a path that no rule chose: default, nomatch, multiple, withheld, failure. */
public record Fallback(Destination to, boolean voicemail) {

    public Fallback {
        Objects.requireNonNull(to, "to");
    }
}
