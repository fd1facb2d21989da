package io.crmroute.agi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code agi_*} block Asterisk sends first, keys without the {@code agi_} prefix. */
public record AgiEnvironment(Map<String, String> variables) implements AgiMessage {

    public AgiEnvironment {
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** {@code agi_network_script} without its query string and slashes: the route's name. */
    public String script() {
        String script = variables.getOrDefault("network_script", "");
        int query = script.indexOf('?');
        if (query >= 0) script = script.substring(0, query);
        int start = 0;
        int end = script.length();
        while (start < end && script.charAt(start) == '/') start++;
        while (end > start && script.charAt(end - 1) == '/') end--;
        return script.substring(start, end);
    }

    /** {@code agi_callerid} as sent: {@code unknown} when Asterisk has none. */
    public String callerId() {
        return variables.getOrDefault("callerid", "");
    }

    public String uniqueId() {
        return variables.getOrDefault("uniqueid", "");
    }

    public String channel() {
        return variables.getOrDefault("channel", "");
    }

    /** {@code agi_arg_N}, 1-based. */
    public Optional<String> arg(int position) {
        return get("arg_" + position);
    }

    public List<String> args() {
        List<String> args = new ArrayList<>();
        for (int i = 1; variables.containsKey("arg_" + i); i++) args.add(variables.get("arg_" + i));
        return args;
    }
}
