package io.crmroute.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Byte-level mutations of a well-formed message, the kinds a broken PBX, a hostile neighbour or a
 * bad network produce: flipped bits, hostile bytes, cut, repeated and swapped lines, very long
 * lines, CR/LF games, and bytes that mean something to a terminal or a query language.
 */
final class Mutator {

    private static final String[] HOSTILE = {
        "\r", "\n", "\r\n", "\u0000", "\u001b[2J", "\"", "\\", "'", "%00", "%0d%0a", "${CRMROUTE_STATUS}",
        "HANGUP\n", "200 result=1\n", "520-Invalid command syntax.\n", "' OR 1=1 --", "\u00ff\u00fe", "\t",
        "Transfer-Encoding: chunked\r\n", "Content-Length: 99999\r\n", "\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n",
    };

    private final SplittableRandom random;

    Mutator(SplittableRandom random) {
        this.random = random;
    }

    /** One to four mutations of {@code message}. */
    byte[] mutate(byte[] message) {
        byte[] bytes = message;
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) bytes = once(bytes);
        return bytes;
    }

    private byte[] once(byte[] bytes) {
        switch (random.nextInt(9)) {
            case 0: return flipBit(bytes);
            case 1: return insert(bytes, HOSTILE[random.nextInt(HOSTILE.length)].getBytes(StandardCharsets.ISO_8859_1));
            case 2: return cut(bytes);
            case 3: return insert(bytes, randomBytes(1 + random.nextInt(16)));
            case 4: return insert(bytes, "9".repeat(random.nextBoolean() ? 8_200 : 1 + random.nextInt(300)).getBytes(StandardCharsets.US_ASCII));
            case 5: return shuffleLines(bytes, true);
            case 6: return shuffleLines(bytes, false);
            case 7: return replace(bytes, (byte) '\n', (byte) '\r');
            default: return deleteRange(bytes);
        }
    }

    private byte[] flipBit(byte[] bytes) {
        if (bytes.length == 0) return bytes;
        byte[] copy = bytes.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }

    private byte[] insert(byte[] bytes, byte[] what) {
        int at = random.nextInt(bytes.length + 1);
        byte[] copy = new byte[bytes.length + what.length];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(what, 0, copy, at, what.length);
        System.arraycopy(bytes, at, copy, at + what.length, bytes.length - at);
        return copy;
    }

    private byte[] cut(byte[] bytes) {
        return bytes.length == 0 ? bytes : java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }

    private byte[] deleteRange(byte[] bytes) {
        if (bytes.length < 2) return bytes;
        int from = random.nextInt(bytes.length);
        int to = Math.min(bytes.length, from + 1 + random.nextInt(32));
        byte[] copy = new byte[bytes.length - (to - from)];
        System.arraycopy(bytes, 0, copy, 0, from);
        System.arraycopy(bytes, to, copy, from, bytes.length - to);
        return copy;
    }

    private byte[] replace(byte[] bytes, byte from, byte to) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < copy.length; i++) if (copy[i] == from && random.nextInt(4) == 0) copy[i] = to;
        return copy;
    }

    /** Repeats a line ({@code repeat}) or swaps two lines. */
    private byte[] shuffleLines(byte[] bytes, boolean repeat) {
        List<String> lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1)));
        if (lines.size() < 2) return bytes;
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        if (repeat) {
            lines.add(b, lines.get(a));
        } else {
            String line = lines.get(a);
            lines.set(a, lines.get(b));
            lines.set(b, line);
        }
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) bytes[i] = (byte) random.nextInt(256);
        return bytes;
    }
}
