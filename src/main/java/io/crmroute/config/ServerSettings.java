package io.crmroute.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code server:}: where the FastAGI and HTTP ports listen, and who may connect to FastAGI (CIDRs).
 * {@code agiReplyTimeout} ({@code server.agi.reply-timeout}) is how long Asterisk may take to answer a
 * command beyond the time the command itself may wait on the caller.
 */
public record ServerSettings(String agiHost, int agiPort, List<String> agiAllow, String httpHost, int httpPort,
                             Duration agiReplyTimeout) {

    public ServerSettings {
        agiAllow = List.copyOf(agiAllow);
    }

    /** With the default reply timeout. */
    public ServerSettings(String agiHost, int agiPort, List<String> agiAllow, String httpHost, int httpPort) {
        this(agiHost, agiPort, agiAllow, httpHost, httpPort, ServerReader.AGI_REPLY_TIMEOUT);
    }
}
