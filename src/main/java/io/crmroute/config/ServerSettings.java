package io.crmroute.config;

import java.util.List;

/** {@code server:}: where the FastAGI and HTTP ports listen, and who may connect to FastAGI (CIDRs). */
public record ServerSettings(String agiHost, int agiPort, List<String> agiAllow, String httpHost, int httpPort) {

    public ServerSettings {
        agiAllow = List.copyOf(agiAllow);
    }
}
