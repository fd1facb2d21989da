package io.crmroute.crmhttp;

import java.io.IOException;

/** A reply whose body (decompressed) is over {@link CrmTransport#MAX_REPLY_BYTES}: its connection is closed. */
public final class ReplyTooLargeException extends IOException {
    public ReplyTooLargeException(int limit) {
        super("reply body larger than " + limit + " bytes");
    }
}
