package io.crmroute.route;

import io.crmroute.crm.CrmRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The channel variables a decision sets, by DESIGN.md's names, in the order they are sent. */
public final class ChannelVariables {

    /** Longest value sent to Asterisk; its command buffer is 8192 bytes. */
    static final int MAX_VALUE_LENGTH = 1024;

    private ChannelVariables() {}

    public static Map<String, String> of(Decision decision) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("CRMROUTE_STATUS", decision.status().name());
        decision.destination().ifPresent(destination -> {
            variables.put("CRMROUTE_TYPE", destination.type());
            variables.put("CRMROUTE_DEST", destination.target());
            variables.put("CRMROUTE_VOICEMAIL", decision.voicemail() ? "yes" : "no");
        });
        if (!decision.rule().isEmpty()) variables.put("CRMROUTE_RULE", decision.rule());
        decision.value().ifPresent(value -> variables.put("CRMROUTE_VALUE", value));
        if (!decision.digits().isEmpty()) variables.put("CRMROUTE_DIGITS", decision.digits());
        decision.error().ifPresent(error -> variables.put("CRMROUTE_ERROR", error));
        String object = name(decision.object());
        for (int i = 0; i < decision.records().size(); i++) {
            CrmRecord record = decision.records().get(i);
            String suffix = decision.severalRecords() ? String.format("_%02d", i + 1) : "";
            for (String field : decision.retrieve()) {
                variables.put("CRM_" + object + "_" + name(field) + suffix, record.get(field).orElse(""));
            }
            // For an agent's screen pop; left unset where the CRM gave no id or has no page for it.
            record.id().ifPresent(id -> variables.put("CRM_" + object + "_ID" + suffix, dialplanSafe(id)));
            record.url().ifPresent(url -> variables.put("CRM_" + object + "_URL" + suffix, dialplanSafe(url)));
        }
        decision.recordCount().ifPresent(count -> variables.put("CRM_" + object + "_RECORD_COUNT", Integer.toString(count)));
        variables.replaceAll((name, value) -> value(value));
        return variables;
    }

    /**
     * {@code CRM_{object}_ID} and {@code CRM_{object}_URL} of a record a sync action wrote (the URL where the
     * CRM has a page for it), made safe as those of a matched record are.
     */
    public static Map<String, String> ofWritten(String object, String id, Optional<String> url) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("CRM_" + name(object) + "_ID", value(dialplanSafe(id)));
        url.ifPresent(page -> variables.put("CRM_" + name(object) + "_URL", value(dialplanSafe(page))));
        return variables;
    }

    /**
     * An id or URL that a dialplan hands on unquoted ({@code UserEvent(CrmPop,url: ${CRM_contacts_URL})}, a SIP
     * header): Asterisk substitutes variables before it splits an application's arguments, so a comma, a
     * parenthesis, a quote or a space from the CRM would add arguments or AMI headers. Those are
     * percent-encoded, which leaves a URL meaning the same page.
     */
    static String dialplanSafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || ",()\"';|\\$^`".indexOf(c) >= 0) out.append(String.format("%%%02X", (int) c));
            else out.append(c);
        }
        return out.toString();
    }

    /** A variable name part: every character other than A-Z, a-z, 0-9 becomes {@code _}. */
    public static String name(String part) {
        StringBuilder out = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            out.append(plain ? c : '_');
        }
        return out.toString();
    }

    /** A value safe on one command line: control characters become spaces, bounded in length. */
    static String value(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_VALUE_LENGTH));
        for (int i = 0; i < text.length() && out.length() < MAX_VALUE_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }
}
