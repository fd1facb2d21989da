package io.crmroute.agi;

import io.netty.handler.codec.DecoderException;

/** Asterisk (or whoever connected) sent something FastAGI does not allow; the connection is closed. */
final class AgiProtocolException extends DecoderException {

    private static final long serialVersionUID = 1L;

    AgiProtocolException(String message) {
        super(message);
    }

    /** {@code what} was expected, {@code line} came instead: quoted short and sanitised. */
    static AgiProtocolException unexpected(String what, String line) {
        return new AgiProtocolException("unexpected " + what + ": '" + AgiConstants.sanitise(line) + "'");
    }
}
