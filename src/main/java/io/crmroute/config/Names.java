package io.crmroute.config;

import java.util.regex.Pattern;

/**
 * What names and values in the config may look like. Fields, objects and destinations end up in CRM
 * queries and channel variables, so they are held to plain characters here, once, at load.
 */
final class Names {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final String NAME_EXPECTED = "expected letters, digits, _ . or - (at most 64)";

    static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.:-]{1,80}");
    static final String FIELD_EXPECTED = "expected a field name of letters, digits, _ . : or - (at most 80)";

    static final Pattern DESTINATION = Pattern.compile("[A-Za-z0-9_.+*#@/-]{1,80}");
    static final String DESTINATION_EXPECTED = "expected letters, digits or _ . + * # @ / - (at most 80)";

    /** A sound file Asterisk plays: no spaces, quotes or backslashes, which the AGI line could not carry. */
    static final Pattern SOUND = Pattern.compile("[^\\s\"'\\\\]{1,128}");
    static final String SOUND_EXPECTED = "expected a sound file name without spaces or quotes (at most 128)";

    private Names() {}

    /** {@code value} as a problem may quote it: one line, bounded. */
    static String shown(String value) {
        String line = value.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
