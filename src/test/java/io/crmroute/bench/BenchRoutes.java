package io.crmroute.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one route table both systems run, and the decision it must produce. crmroute gets it as YAML
 * ({@link #yaml}); the baseline script evaluates it in Java ({@link #decide}); the load generator checks
 * answers against the same {@link #decide}. Change a rule here and all three follow.
 */
final class BenchRoutes {

    /** Route names (the FastAGI script path). */
    static final String CACHED = "cached";   // CRM at 0 ms, cache on
    static final String DIRECT = "direct";   // CRM at 0 ms, no cache
    static final String SLOW50 = "slow50";   // CRM at 50 ms
    static final String SLOW1S = "slow1s";   // CRM at 1 s
    static final String FLAKY = "flaky";     // CRM at 0 ms, 10% HTTP 500
    static final String DOWN = "down";       // nothing listens: connection refused, breaker opens

    static final List<String> ALL = List.of(CACHED, DIRECT, SLOW50, SLOW1S, FLAKY, DOWN);

    static final String PROMPT = "enter-account";
    static final int MAX_DIGITS = 4;
    static final long DTMF_TIMEOUT_MS = 5000;
    /** The caller's wait budget for the CRM, in both systems. */
    static final long CRM_TIMEOUT_MS = 2000;

    record Rule(String name, String value, String type, String dest) {}

    static final List<Rule> RULES = List.of(
            new Rule("gold", "GOLD", "queue", "103"),
            new Rule("silver", "SILVER", "ivr", "200"),
            new Rule("bronze", "BRONZE", "recording", "bronze-greeting"));

    private BenchRoutes() {}

    /** The fake CRM endpoint each route asks; {@code downPort} is a port where nothing listens. */
    static String crmUrl(String route, int crmPort, int downPort) {
        String base = "http://127.0.0.1:" + crmPort + "/crm/";
        switch (route) {
            case CACHED:
            case DIRECT: return base + "0/0";
            case SLOW50: return base + "50/0";
            case SLOW1S: return base + "1000/0";
            case FLAKY: return base + "0/10";
            case DOWN: return "http://127.0.0.1:" + downPort + "/crm/0/0";
            default: throw new IllegalArgumentException("unknown route: " + route);
        }
    }

    static boolean cached(String route) {
        return CACHED.equals(route);
    }

    /** The variables for a CRM value: MATCH on the first rule that holds, otherwise DEFAULT. */
    static Map<String, String> decide(String value, String digits) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Rule rule : RULES) {
            if (rule.value().equals(value)) {
                variables.put("CRMROUTE_STATUS", "MATCH");
                variables.put("CRMROUTE_TYPE", rule.type());
                variables.put("CRMROUTE_DEST", rule.dest());
                variables.put("CRMROUTE_VOICEMAIL", "no");
                variables.put("CRMROUTE_RULE", rule.name());
                return withValueAndDigits(variables, value, digits);
            }
        }
        variables.put("CRMROUTE_STATUS", "DEFAULT");
        variables.put("CRMROUTE_TYPE", "extension");
        variables.put("CRMROUTE_DEST", "100");
        variables.put("CRMROUTE_VOICEMAIL", "yes");
        variables.put("CRMROUTE_RULE", "default");
        return withValueAndDigits(variables, value, digits);
    }

    /** The failure path: no value, an error reason. */
    static Map<String, String> failed(String digits, String error) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("CRMROUTE_STATUS", "FAILED");
        variables.put("CRMROUTE_TYPE", "queue");
        variables.put("CRMROUTE_DEST", "900");
        variables.put("CRMROUTE_VOICEMAIL", "no");
        variables.put("CRMROUTE_RULE", "failure");
        if (!digits.isEmpty()) variables.put("CRMROUTE_DIGITS", digits);
        variables.put("CRMROUTE_ERROR", error.isEmpty() ? "failed" : error);
        return variables;
    }

    private static Map<String, String> withValueAndDigits(Map<String, String> variables, String value, String digits) {
        variables.put("CRMROUTE_VALUE", value);
        if (!digits.isEmpty()) variables.put("CRMROUTE_DIGITS", digits);
        return variables;
    }

    /** crmroute's config for the same table (DESIGN.md's YAML), every CRM pointing at the fake. */
    static String yaml(int agiPort, int httpPort, int crmPort, int downPort) {
        StringBuilder out = new StringBuilder();
        out.append("server:\n")
                // One load generator plays one Asterisk with up to 9,700 calls at once: past the default 5,000 per source.
                .append("  agi:  { host: 127.0.0.1, port: ").append(agiPort)
                .append(", allow: [127.0.0.1/32], max-connections-per-source: 20000 }\n")
                .append("  http: { host: 127.0.0.1, port: ").append(httpPort).append(" }\n")
                .append("crms:\n");
        for (String route : ALL) {
            out.append("  crm-").append(route).append(":\n")
                    .append("    type: http\n")
                    .append("    url: ").append(crmUrl(route, crmPort, downPort)).append('\n')
                    .append("    allow-insecure: true\n")
                    .append("    method: GET\n")
                    .append("    timeout: ").append(CRM_TIMEOUT_MS).append("ms\n");
            if (cached(route)) out.append("    cache: { ttl: 60s, negative-ttl: 10s }\n");
        }
        out.append("routes:\n");
        for (String route : ALL) {
            out.append("  ").append(route).append(":\n")
                    .append("    crm: crm-").append(route).append('\n')
                    .append("    object: contacts\n")
                    .append("    match: { field: phone, from: callerid }\n")
                    .append("    dtmf: { prompt: ").append(PROMPT).append(", max-digits: ").append(MAX_DIGITS)
                    .append(", timeout: ").append(DTMF_TIMEOUT_MS).append("ms }\n")
                    .append("    field: status\n")
                    .append("    timeout: ").append(CRM_TIMEOUT_MS).append("ms\n")
                    .append("    rules:\n");
            for (Rule rule : RULES) {
                out.append("      - { name: ").append(rule.name()).append(", op: \"=\", value: ").append(rule.value())
                        .append(", to: { ").append(rule.type()).append(": \"").append(rule.dest()).append("\" } }\n");
            }
            out.append("    default:  { to: { extension: \"100\" }, voicemail: true }\n")
                    .append("    failure:  { to: { queue: \"900\" } }\n");
        }
        return out.toString();
    }
}
