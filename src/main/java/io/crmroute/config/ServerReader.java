package io.crmroute.config;

import io.crmroute.agi.AgiServerOptions;
import io.crmroute.agi.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
 *
 * <ul>
 * <li>{@code server.drain-timeout} (10s): on SIGTERM the FastAGI port closes at once and calls in
 *     progress get this long to finish; then HTTP closes and the audit buffer is written.</li>
 * <li>{@code server.agi.allow}: source ranges; an empty list is a problem (FastAGI has no
 *     authentication), everyone takes {@code 0.0.0.0/0} and {@code ::/0} written out. IPv4-mapped
 *     ranges are read as the IPv4 range they map.</li>
 * <li>{@code server.agi.backlog} (4096): Linux caps it at {@code net.core.somaxconn}.</li>
 * <li>{@code server.agi.max-connections-per-source} (5000) and {@code server.agi.max-connections}
 *     (20000): connections past them are closed at once.</li>
 * <li>{@code server.agi.allow} entries may each hold several ranges separated by commas or spaces, so
 *     one environment variable ({@code ["${CRMROUTE_AGI_ALLOW:-127.0.0.1/32}"]}) can hold a whole list.</li>
 * <li>{@code server.data-dir} ({@code .}, the config's folder): where crmroute writes; the config's folder
 *     may then be read-only (a container's mounted config, a package's {@code /etc/crmroute}).</li>
 * <li>{@code server.heartbeat} (5s): with a database, how often this node writes its heartbeat.</li>
 * <li>{@code server.outbox-lease} (30s) and {@code server.outbox-poll} (1s): with a database, how long a node's
 *     claim of an async action lasts unless renewed, and how often it claims and renews.</li>
 * </ul>
 */
final class ServerReader {

    static final String AGI_HOST = "0.0.0.0";
    static final int AGI_PORT = 4573;
    static final List<String> AGI_ALLOW = List.of("127.0.0.1/32", "::1/128");
    static final String HTTP_HOST = "127.0.0.1";
    static final int HTTP_PORT = 8080;
    static final Path DATA_DIR = Path.of(".");
    static final Duration AGI_REPLY_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MAX_AGI_REPLY_TIMEOUT = Duration.ofMinutes(1);

    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final Duration MAX_HEARTBEAT = Duration.ofMinutes(1);
    static final Duration OUTBOX_LEASE = Duration.ofSeconds(30);
    static final Duration MAX_OUTBOX_LEASE = Duration.ofMinutes(10);
    static final Duration OUTBOX_POLL = Duration.ofSeconds(1);
    static final Duration MAX_OUTBOX_POLL = Duration.ofMinutes(1);
    static final Pattern NODE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    static final String NODE_EXPECTED = "expected a node name of letters, digits, '.', '_', ':' or '-' (default: host:port)";
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_DRAIN_TIMEOUT = Duration.ofMinutes(5);
    static final int AGI_BACKLOG = AgiServerOptions.DEFAULT_BACKLOG;
    static final int AGI_MAX_CONNECTIONS_PER_SOURCE = AgiServerOptions.DEFAULT_MAX_CONNECTIONS_PER_SOURCE;
    static final int AGI_MAX_CONNECTIONS = AgiServerOptions.DEFAULT_MAX_CONNECTIONS;
    private static final int MAX_CONNECTIONS_LIMIT = 1_000_000;

    static final ServerSettings DEFAULTS = new ServerSettings(AGI_HOST, AGI_PORT, AGI_ALLOW, HTTP_HOST, HTTP_PORT);

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_-]{1,253}");
    private static final String HOST_EXPECTED = "expected a host name or IP address";
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern CIDR = Pattern.compile("([^/]+)(?:/([0-9]{1,3}))?");
    static final String CIDR_EXPECTED = "expected an address range like 127.0.0.1/32, 10.0.0.0/8 or ::1/128";
    static final String IPV4_MAPPED_EXPECTED = "an IPv4-mapped range needs a prefix of 96 or more; write the IPv4 range"
            + " instead, like 10.0.0.0/8 (::ffff:0:0/96 is 0.0.0.0/0)";
    static final String ALLOW_EMPTY = "empty: nobody could connect. FastAGI has no authentication: list the Asterisk"
            + " servers' addresses, or write 0.0.0.0/0 and ::/0 to let everyone in";

    private ServerReader() {}

    static ServerSettings read(Optional<Section> server) {
        if (server.isEmpty()) return DEFAULTS;
        server.get().onlyKeys(Set.of("agi", "http", "drain-timeout", "data-dir", "heartbeat", "outbox-lease",
                "outbox-poll"));
        Optional<Section> agi = server.get().section("agi");
        Optional<Section> http = server.get().section("http");
        agi.ifPresent(section -> section.onlyKeys(Set.of("host", "port", "allow", "backlog", "max-connections-per-source",
                "max-connections", "reply-timeout")));
        http.ifPresent(section -> section.onlyKeys(Set.of("host", "port", "max-connections", "max-connections-per-source",
                "request-head-timeout")));
        return new ServerSettings(
                agi.flatMap(section -> section.text("host", HOST, HOST_EXPECTED)).orElse(AGI_HOST),
                agi.flatMap(section -> section.integer("port", 0, 65535)).orElse(AGI_PORT),
                agi.flatMap(ServerReader::allow).orElse(AGI_ALLOW),
                http.flatMap(section -> section.text("host", HOST, HOST_EXPECTED)).orElse(HTTP_HOST),
                http.flatMap(section -> section.integer("port", 0, 65535)).orElse(HTTP_PORT),
                server.get().duration("drain-timeout", MAX_DRAIN_TIMEOUT).orElse(DRAIN_TIMEOUT),
                agi.flatMap(section -> section.integer("backlog", 1, 65535)).orElse(AGI_BACKLOG),
                agi.flatMap(section -> section.integer("max-connections-per-source", 1, MAX_CONNECTIONS_LIMIT))
                        .orElse(AGI_MAX_CONNECTIONS_PER_SOURCE),
                agi.flatMap(section -> section.integer("max-connections", 1, MAX_CONNECTIONS_LIMIT)).orElse(AGI_MAX_CONNECTIONS),
                agi.flatMap(section -> section.duration("reply-timeout", MAX_AGI_REPLY_TIMEOUT)).orElse(AGI_REPLY_TIMEOUT),
                http.map(ServerReader::httpLimits).orElse(HttpLimits.DEFAULTS),
                server.get().text("data-dir").flatMap(text -> dataDir(server.get(), text)).orElse(DATA_DIR),
                Optional.empty(), server.get().duration("heartbeat", MAX_HEARTBEAT).orElse(HEARTBEAT),
                server.get().duration("outbox-lease", MAX_OUTBOX_LEASE).orElse(OUTBOX_LEASE),
                server.get().duration("outbox-poll", MAX_OUTBOX_POLL).orElse(OUTBOX_POLL));
    }

    private static Optional<Path> dataDir(Section server, String text) {
        if (text.isBlank()) {
            server.problem("data-dir", "empty: write . for the config's folder, or a folder such as /var/lib/crmroute");
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text.strip()).normalize()).map(path -> path.toString().isEmpty() ? DATA_DIR : path);
        } catch (InvalidPathException unusable) {
            server.problem("data-dir", "\"" + Names.shown(text) + "\": not a folder name");
            return Optional.empty();
        }
    }

    /** The top-level {@code node:}: this node's name among several sharing one database. */
    static Optional<String> node(Section root) {
        return root.text("node", NODE, NODE_EXPECTED);
    }

    private static HttpLimits httpLimits(Section http) {
        HttpLimits defaults = HttpLimits.DEFAULTS;
        return new HttpLimits(
                http.integer("max-connections", 1, 100_000).orElse(defaults.maxConnections()),
                http.integer("max-connections-per-source", 1, 100_000).orElse(defaults.maxConnectionsPerSource()),
                http.duration("request-head-timeout", Duration.ofMinutes(10)).orElse(defaults.requestHeadTimeout()));
    }

    private static Optional<List<String>> allow(Section agi) {
        return agi.textList("allow", Pattern.compile(".+"), CIDR_EXPECTED).map(ServerReader::oneRangePerEntry).flatMap(ranges -> {
            if (ranges.isEmpty()) {
                agi.problem("allow", ALLOW_EMPTY);
                return Optional.empty();
            }
            List<String> normalised = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                String shown = "\"" + Names.shown(ranges.get(i)) + "\": ";
                Optional<String> cidr = cidr(ranges.get(i));
                if (cidr.isEmpty()) {
                    agi.problem("allow[" + i + "]", shown + CIDR_EXPECTED);
                    continue;
                }
                try {
                    normalised.add(Cidr.parse(cidr.get()).toString());
                } catch (IllegalArgumentException unusable) {
                    agi.problem("allow[" + i + "]", shown + IPV4_MAPPED_EXPECTED);
                }
            }
            return normalised.size() == ranges.size() ? Optional.of(normalised) : Optional.empty();
        });
    }

    /** Entries split where they hold several ranges ({@code "10.0.0.0/8, 192.0.2.7"}), blank ones dropped. */
    private static List<String> oneRangePerEntry(List<String> entries) {
        List<String> ranges = new ArrayList<>();
        for (String entry : entries) {
            for (String range : entry.strip().split("[,\\s]+")) {
                if (!range.isEmpty()) ranges.add(range);
            }
        }
        return ranges;
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
