package io.crmroute.config;

import java.util.List;

/**
 * {@code server:}: where the FastAGI and HTTP ports listen, who may connect to FastAGI (CIDRs), and
 * what the HTTP port lets its peers hold.
 */
public record ServerSettings(String agiHost, int agiPort, List<String> agiAllow, String httpHost, int httpPort, HttpLimits httpLimits) {

    public ServerSettings {
        agiAllow = List.copyOf(agiAllow);
    }

    /** With the default HTTP limits. */
    public ServerSettings(String agiHost, int agiPort, List<String> agiAllow, String httpHost, int httpPort) {
        this(agiHost, agiPort, agiAllow, httpHost, httpPort, HttpLimits.DEFAULTS);
    }
}
