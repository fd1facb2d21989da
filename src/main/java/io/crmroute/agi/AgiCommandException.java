package io.crmroute.agi;

/** Asterisk refused a command: 510 unknown command, 511 dead channel, 520 bad syntax. */
public final class AgiCommandException extends RuntimeException {

    private final transient AgiReply reply;

    public AgiCommandException(String command, AgiReply reply) {
        super(command + ": " + reply.status().code() + " " + reply.status(), null, false, false);
        this.reply = reply;
    }

    public AgiReply reply() {
        return reply;
    }
}
