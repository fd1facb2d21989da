package io.crmroute.agi;

/** An unsolicited {@code HANGUP} line: the caller hung up, or the AGI is ending. */
public record AgiHangup() implements AgiMessage {

    public static final AgiHangup INSTANCE = new AgiHangup();
}
