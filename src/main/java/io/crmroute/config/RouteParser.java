package io.crmroute.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.route.Destination;
import io.crmroute.route.DtmfPrompt;
import io.crmroute.route.Fallback;
import io.crmroute.route.Match;
import io.crmroute.route.MatchSource;
import io.crmroute.route.Operator;
import io.crmroute.route.Route;
import io.crmroute.route.RouteActions;
import io.crmroute.route.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and validates one route in DESIGN.md's shape from a YAML or JSON tree. {@code pathPrefix} is
 * put before every problem's key path ({@code "routes.vip."} in a file, {@code ""} in the admin API).
 * The config file and the admin API both read routes here, so a route means the same in either.
 */
public final class RouteParser {

    static final String DEFAULT_MATCH_FIELD = "phone";
    static final int DEFAULT_MAX_DIGITS = 8;
    static final Duration DEFAULT_DTMF_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    static final List<String> DESTINATION_TYPES = List.of("queue", "ivr", "recording", "extension");

    private static final Set<String> ROUTE_KEYS = Set.of("crm", "object", "match", "dtmf", "retrieve", "field", "records",
            "timeout", "rules", "default", "nomatch", "multiple", "withheld", "failure", "actions");
    private static final Set<String> MATCH_KEYS = Set.of("field", "from", "phone");
    private static final Set<String> DTMF_KEYS = Set.of("prompt", "max-digits", "timeout");
    private static final Set<String> RULE_KEYS = Set.of("name", "op", "field", "value", "to", "voicemail");
    private static final Set<String> FALLBACK_KEYS = Set.of("to", "voicemail");
    private static final Pattern ARGUMENT = Pattern.compile("arg([1-9][0-9]{0,2})");
    private static final Pattern VARIABLE = Pattern.compile("var ([A-Za-z0-9_]{1,64})");
    private static final String OPERATORS = Arrays.stream(Operator.values()).map(Operator::symbol).collect(Collectors.joining(", "));

    private RouteParser() {}

    public static RouteParseResult parse(String name, JsonNode node, Map<String, CrmSpec> crms, String pathPrefix) {
        Problems problems = new Problems();
        String routePath = KeyPaths.ofPrefix(pathPrefix);
        String at = routePath.isEmpty() ? "route" : routePath;
        if (name == null || !Names.NAME.matcher(name).matches()) {
            problems.add(routePath.isEmpty() ? "name" : routePath, "route name \"" + Names.shown(String.valueOf(name)) + "\": " + Names.NAME_EXPECTED);
        }
        if (node == null || !node.isObject()) {
            problems.add(at, "expected a map with at least crm, field and default"
                    + (node == null || node.isNull() ? "" : ", found " + Section.kind(node)));
            return new RouteParseResult(Optional.empty(), problems.list());
        }
        Optional<Route> route = read(name, Section.of(node, routePath, problems).orElseThrow(), crms);
        return new RouteParseResult(problems.isEmpty() ? route : Optional.empty(), problems.list());
    }

    private static Optional<Route> read(String name, Section route, Map<String, CrmSpec> crms) {
        route.onlyKeys(ROUTE_KEYS);
        Optional<String> crm = route.requiredText("crm");
        Optional<CrmSpec> spec = crm.map(crms::get);
        if (crm.isPresent() && spec.isEmpty()) {
            route.problem("crm", "\"" + Names.shown(crm.get()) + "\" is not defined under crms"
                    + (crms.isEmpty() ? " (none are)" : " (defined: " + String.join(", ", crms.keySet()) + ")"));
        }
        Optional<String> object = route.text("object", Names.FIELD, Names.FIELD_EXPECTED);
        boolean objectOptional = spec.map(s -> !s.type().objectRequired()).orElse(true);
        if (!route.has("object") && !objectOptional) route.problem("object", "missing (required: the CRM object or module to search)");
        Match match = route.section("match").map(RouteParser::match)
                .orElse(new Match(DEFAULT_MATCH_FIELD, new MatchSource.CallerId(), Optional.empty()));
        Optional<DtmfPrompt> dtmf = route.section("dtmf").flatMap(RouteParser::dtmf);
        if (match.from() instanceof MatchSource.Digits && !route.has("dtmf")) {
            route.problem("dtmf", "missing (required when match.from is dtmf: a prompt to play)");
        }
        List<String> retrieve = route.textList("retrieve", Names.FIELD, Names.FIELD_EXPECTED).orElse(List.of());
        Optional<String> field = route.requiredText("field", Names.FIELD, Names.FIELD_EXPECTED);
        int records = route.integer("records", 1, 100).orElse(1);
        Duration timeout = route.duration("timeout", MAX_TIMEOUT).orElse(Route.DEFAULT_TIMEOUT);
        List<Rule> rules = rules(route);
        Optional<Fallback> defaultPath = fallback(route, "default");
        if (!route.has("default")) route.problem("default", "missing (required: where a call goes when no rule holds)");
        Optional<Fallback> nomatch = fallback(route, "nomatch");
        Optional<Fallback> multiple = fallback(route, "multiple");
        Optional<Fallback> withheld = fallback(route, "withheld");
        Optional<Fallback> failure = fallback(route, "failure");
        RouteActions actions = ActionsParser.read(route);
        if (spec.isEmpty() || field.isEmpty() || defaultPath.isEmpty()) return Optional.empty();
        String objectName = object.orElse(spec.get().name());
        return Optional.of(new Route(name, crm.get(), objectName, match, dtmf, retrieve, field.get(), records, timeout, rules,
                defaultPath.get(), nomatch, multiple, withheld, failure, actions));
    }

    private static Match match(Section match) {
        match.onlyKeys(MATCH_KEYS);
        String field = match.text("field", Names.FIELD, Names.FIELD_EXPECTED).orElse(DEFAULT_MATCH_FIELD);
        MatchSource from = match.text("from").flatMap(text -> source(text, match)).orElse(new MatchSource.CallerId());
        Optional<PhoneMatching> phone = PhoneSettings.read(match, "phone");
        return new Match(field, from, phone);
    }

    private static Optional<MatchSource> source(String text, Section match) {
        if (text.equals("callerid")) return Optional.of(new MatchSource.CallerId());
        if (text.equals("dtmf")) return Optional.of(new MatchSource.Digits());
        Matcher argument = ARGUMENT.matcher(text);
        if (argument.matches() && Integer.parseInt(argument.group(1)) <= 128) {
            return Optional.of(new MatchSource.Argument(Integer.parseInt(argument.group(1))));
        }
        Matcher variable = VARIABLE.matcher(text);
        if (variable.matches()) return Optional.of(new MatchSource.ChannelVariable(variable.group(1)));
        match.problem("from", "\"" + Names.shown(text) + "\": expected callerid, dtmf, arg1..arg128 or var NAME");
        return Optional.empty();
    }

    private static Optional<DtmfPrompt> dtmf(Section dtmf) {
        dtmf.onlyKeys(DTMF_KEYS);
        Optional<String> prompt = dtmf.requiredText("prompt", Names.SOUND, Names.SOUND_EXPECTED);
        int maxDigits = dtmf.integer("max-digits", 1, 64).orElse(DEFAULT_MAX_DIGITS);
        Duration timeout = dtmf.duration("timeout", MAX_TIMEOUT).orElse(DEFAULT_DTMF_TIMEOUT);
        return prompt.map(sound -> new DtmfPrompt(sound, maxDigits, timeout));
    }

    private static List<Rule> rules(Section route) {
        List<Rule> rules = new ArrayList<>();
        route.list("rules").ifPresent(items -> {
            for (int i = 0; i < items.size(); i++) {
                String path = KeyPaths.index(route.pathOf("rules"), i);
                JsonNode item = items.get(i);
                if (item.isNull()) route.problem("rules[" + i + "]", "empty rule");
                route.sectionAt(item, path).flatMap(RouteParser::rule).ifPresent(rules::add);
            }
        });
        return rules;
    }

    private static Optional<Rule> rule(Section rule) {
        rule.onlyKeys(RULE_KEYS);
        Optional<String> name = rule.text("name", Names.NAME, Names.NAME_EXPECTED);
        Optional<Operator> op = rule.requiredText("op").flatMap(symbol -> {
            Optional<Operator> found = Operator.bySymbol(symbol);
            if (found.isEmpty()) rule.problem("op", "unknown operator \"" + Names.shown(symbol) + "\" (expected one of " + OPERATORS + ")");
            return found;
        });
        Optional<String> field = rule.text("field", Names.FIELD, Names.FIELD_EXPECTED);
        Optional<String> value = rule.text("value");
        if (!rule.has("value")) rule.problem("value", "missing (required: the value to compare with)");
        Optional<Destination> to = destination(rule);
        boolean voicemail = rule.bool("voicemail").orElse(false);
        if (op.isEmpty() || value.isEmpty() || to.isEmpty()) return Optional.empty();
        return Optional.of(new Rule(name, op.get(), field, value.get(), to.get(), voicemail));
    }

    private static Optional<Fallback> fallback(Section route, String key) {
        return route.section(key).flatMap(fallback -> {
            fallback.onlyKeys(FALLBACK_KEYS);
            Optional<Destination> to = destination(fallback);
            boolean voicemail = fallback.bool("voicemail").orElse(false);
            return to.map(destination -> new Fallback(destination, voicemail));
        });
    }

    /** {@code to: { queue: "103" }}: exactly one of queue, ivr, recording, extension. */
    private static Optional<Destination> destination(Section parent) {
        if (!parent.has("to")) {
            parent.problem("to", "missing (required: one of " + String.join(", ", DESTINATION_TYPES) + ")");
            return Optional.empty();
        }
        return parent.section("to").flatMap(to -> {
            to.onlyKeys(Set.copyOf(DESTINATION_TYPES));
            List<String> types = DESTINATION_TYPES.stream().filter(to::has).collect(Collectors.toList());
            if (types.size() != 1) {
                parent.problem("to", "expected exactly one of " + String.join(", ", DESTINATION_TYPES)
                        + (types.isEmpty() ? "" : " (found " + String.join(", ", types) + ")"));
                return Optional.empty();
            }
            String type = types.get(0);
            return to.requiredText(type, Names.DESTINATION, Names.DESTINATION_EXPECTED).map(target -> Destination.of(type, target));
        });
    }
}
