package io.crmroute.agi;

/** The connection ended (closed by Asterisk, a protocol error, or the server) before a reply came. */
public final class AgiSessionClosedException extends RuntimeException {

    public AgiSessionClosedException(String message) {
        super(message, null, false, false);
    }
}
