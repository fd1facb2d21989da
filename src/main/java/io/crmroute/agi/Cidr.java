package io.crmroute.agi;

import io.netty.util.NetUtil;

/**
 * One allowlist entry: an IPv4 or IPv6 address range, {@code address/prefix}. A bare address is a
 * range of one. An IPv4-mapped IPv6 range ({@code ::ffff:127.0.0.1/128}, {@code ::ffff:0:0/96}) is the
 * IPv4 range it maps ({@code 127.0.0.1/32}, {@code 0.0.0.0/0}): the JVM reports an IPv4 peer on a
 * dual-stack socket as an IPv4 address, so only the IPv4 form can ever match it.
 *
 * @param address an IPv4 or IPv6 literal, never a name to resolve
 * @param prefix  0-32 for IPv4, 0-128 for IPv6
 */
public record Cidr(String address, int prefix) {

    private static final int MAPPED_PREFIX = 96;

    public Cidr {
        int max = NetUtil.isValidIpV4Address(address) ? 32 : 128;
        if (prefix < 0 || prefix > max) throw new IllegalArgumentException("prefix: " + prefix + " (expected: 0-" + max + ")");
    }

    /** {@code text} checked and normalised; the message of the exception names the value and what is wrong. */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        boolean v4 = NetUtil.isValidIpV4Address(address);
        // A zone id (fe80::1%eth0) names an interface of this host: it says nothing about a peer.
        if (!v4 && (address.indexOf('%') >= 0 || !NetUtil.isValidIpV6Address(address))) {
            throw new IllegalArgumentException("allow: '" + text + "' is not an IPv4 or IPv6 address or CIDR");
        }
        int max = v4 ? 32 : 128;
        String prefixText = slash < 0 ? Integer.toString(max) : trimmed.substring(slash + 1);
        if (!prefixText.matches("[0-9]{1,3}")) throw new IllegalArgumentException("allow: '" + text + "' has a bad prefix length");
        int prefix = Integer.parseInt(prefixText);
        if (prefix > max) {
            throw new IllegalArgumentException("allow: '" + text + "' prefix: " + prefix + " (expected: 0-" + max + ")");
        }
        if (v4) return new Cidr(address, prefix);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (!isIpv4Mapped(bytes)) return new Cidr(address, prefix);
        if (prefix < MAPPED_PREFIX) {
            throw new IllegalArgumentException("allow: '" + text + "' is an IPv4-mapped range with a prefix under 96;"
                    + " write the IPv4 range instead (::ffff:0:0/96 is 0.0.0.0/0)");
        }
        String ipv4 = (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        return new Cidr(ipv4, prefix - MAPPED_PREFIX);
    }

    /** Whether this range holds every address of its family ({@code 0.0.0.0/0}, {@code ::/0}). */
    public boolean isEveryone() {
        return prefix == 0;
    }

    /** {@code address/prefix}, as written in the config. */
    @Override
    public String toString() {
        return address + "/" + prefix;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        if (bytes == null || bytes.length != 16) return false;
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) return false;
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
