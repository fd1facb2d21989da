package io.crmroute.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code server:}. Every key is optional: FastAGI on 0.0.0.0:4573 open to this host only, HTTP
 * on 127.0.0.1:8080. Port 0 asks for any free port (tests use it).
 */
final class ServerReader {

    static final String AGI_HOST = "0.0.0.0";
    static final int AGI_PORT = 4573;
    static final List<String> AGI_ALLOW = List.of("127.0.0.1/32", "::1/128");
    static final String HTTP_HOST = "127.0.0.1";
    static final int HTTP_PORT = 8080;

    static final ServerSettings DEFAULTS = new ServerSettings(AGI_HOST, AGI_PORT, AGI_ALLOW, HTTP_HOST, HTTP_PORT);

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_-]{1,253}");
    private static final String HOST_EXPECTED = "expected a host name or IP address";
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern CIDR = Pattern.compile("([^/]+)(?:/([0-9]{1,3}))?");
    static final String CIDR_EXPECTED = "expected an address range like 127.0.0.1/32, 10.0.0.0/8 or ::1/128";

    private ServerReader() {}

    static ServerSettings read(Optional<Section> server) {
        if (server.isEmpty()) return DEFAULTS;
        server.get().onlyKeys(Set.of("agi", "http"));
        Optional<Section> agi = server.get().section("agi");
        Optional<Section> http = server.get().section("http");
        agi.ifPresent(section -> section.onlyKeys(Set.of("host", "port", "allow")));
        http.ifPresent(section -> section.onlyKeys(Set.of("host", "port", "max-connections", "max-connections-per-source", "request-head-timeout")));
        return new ServerSettings(
                agi.flatMap(section -> section.text("host", HOST, HOST_EXPECTED)).orElse(AGI_HOST),
                agi.flatMap(section -> section.integer("port", 0, 65535)).orElse(AGI_PORT),
                agi.flatMap(ServerReader::allow).orElse(AGI_ALLOW),
                http.flatMap(section -> section.text("host", HOST, HOST_EXPECTED)).orElse(HTTP_HOST),
                http.flatMap(section -> section.integer("port", 0, 65535)).orElse(HTTP_PORT),
                http.map(ServerReader::httpLimits).orElse(HttpLimits.DEFAULTS));
    }

    private static HttpLimits httpLimits(Section http) {
        HttpLimits defaults = HttpLimits.DEFAULTS;
        return new HttpLimits(
                http.integer("max-connections", 1, 100_000).orElse(defaults.maxConnections()),
                http.integer("max-connections-per-source", 1, 100_000).orElse(defaults.maxConnectionsPerSource()),
                http.duration("request-head-timeout", Duration.ofMinutes(10)).orElse(defaults.requestHeadTimeout()));
    }

    private static Optional<List<String>> allow(Section agi) {
        return agi.textList("allow", Pattern.compile(".+"), CIDR_EXPECTED).flatMap(ranges -> {
            List<String> normalised = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                Optional<String> cidr = cidr(ranges.get(i));
                if (cidr.isEmpty()) agi.problem("allow[" + i + "]", "\"" + Names.shown(ranges.get(i)) + "\": " + CIDR_EXPECTED);
                else normalised.add(cidr.get());
            }
            return normalised.size() == ranges.size() ? Optional.of(normalised) : Optional.empty();
        });
    }

    /** {@code text} as {@code address/prefix} (a bare address is a range of one), or empty when it is not one. */
    static Optional<String> cidr(String text) {
        Matcher matcher = CIDR.matcher(text.trim());
        if (!matcher.matches()) return Optional.empty();
        String address = matcher.group(1);
        int bits;
        if (IPV4.matcher(address).matches()) bits = 32;
        else if (address.contains(":") && IPV6.matcher(address).matches() && isIpv6Literal(address)) bits = 128;
        else return Optional.empty();
        int prefix = matcher.group(2) == null ? bits : Integer.parseInt(matcher.group(2));
        return prefix <= bits ? Optional.of(address + "/" + prefix) : Optional.empty();
    }

    private static boolean isIpv6Literal(String address) {
        try {
            // A text with ':' is parsed as an IPv6 literal, never looked up in DNS.
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
