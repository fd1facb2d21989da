package io.crmroute.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.route.Action;
import io.crmroute.route.Destination;
import io.crmroute.route.DtmfPrompt;
import io.crmroute.route.Fallback;
import io.crmroute.route.Match;
import io.crmroute.route.MatchSource;
import io.crmroute.route.Route;
import io.crmroute.route.RouteActions;
import io.crmroute.route.Rule;
import java.util.Optional;

/**
 * Writes a route back in DESIGN.md's shape; {@code RouteParser.parse(RouteWriter.toTree(r))} gives {@code r}.
 * Keys left at their defaults are omitted (a default match, records 1, the default timeout), so a
 * written route reads like one an admin would write. Values are written as text.
 */
public final class RouteWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RouteWriter() {}

    public static ObjectNode toTree(Route route) {
        ObjectNode tree = NODES.objectNode();
        tree.put("crm", route.crm());
        tree.put("object", route.object());
        if (!isDefault(route.match())) tree.set("match", match(route.match()));
        route.dtmf().ifPresent(dtmf -> tree.set("dtmf", dtmf(dtmf)));
        if (!route.retrieve().isEmpty()) {
            ArrayNode retrieve = tree.putArray("retrieve");
            route.retrieve().forEach(retrieve::add);
        }
        tree.put("field", route.field());
        if (route.records() != 1) tree.put("records", route.records());
        if (!route.timeout().equals(Route.DEFAULT_TIMEOUT)) tree.put("timeout", Durations.format(route.timeout()));
        ArrayNode rules = tree.putArray("rules");
        route.rules().forEach(rule -> rules.add(rule(rule)));
        tree.set("default", fallback(route.defaultPath()));
        fallback(tree, "nomatch", route.nomatch());
        fallback(tree, "multiple", route.multiple());
        fallback(tree, "withheld", route.withheld());
        fallback(tree, "failure", route.failure());
        if (!route.actions().isEmpty()) tree.set("actions", actions(route.actions()));
        return tree;
    }

    private static boolean isDefault(Match match) {
        return match.field().equals(RouteParser.DEFAULT_MATCH_FIELD) && match.from() instanceof MatchSource.CallerId
                && match.phone().isEmpty();
    }

    private static ObjectNode match(Match match) {
        ObjectNode node = NODES.objectNode();
        node.put("field", match.field());
        node.put("from", match.from().text());
        match.phone().ifPresent(phone -> node.set("phone", phone(phone)));
        return node;
    }

    private static ObjectNode phone(PhoneMatching phone) {
        ObjectNode node = NODES.objectNode();
        node.put("default-country", phone.defaultCountry());
        if (!phone.formats().equals(PhoneMatching.DEFAULT_FORMATS)) {
            ArrayNode formats = node.putArray("formats");
            phone.formats().forEach(formats::add);
        }
        return node;
    }

    private static ObjectNode dtmf(DtmfPrompt dtmf) {
        ObjectNode node = NODES.objectNode();
        node.put("prompt", dtmf.prompt());
        if (dtmf.maxDigits() != RouteParser.DEFAULT_MAX_DIGITS) node.put("max-digits", dtmf.maxDigits());
        if (!dtmf.timeout().equals(RouteParser.DEFAULT_DTMF_TIMEOUT)) node.put("timeout", Durations.format(dtmf.timeout()));
        return node;
    }

    private static ObjectNode rule(Rule rule) {
        ObjectNode node = NODES.objectNode();
        rule.name().ifPresent(name -> node.put("name", name));
        node.put("op", rule.op().symbol());
        rule.field().ifPresent(field -> node.put("field", field));
        node.put("value", rule.value());
        node.set("to", destination(rule.to()));
        if (rule.voicemail()) node.put("voicemail", true);
        return node;
    }

    private static void fallback(ObjectNode tree, String key, Optional<Fallback> fallback) {
        fallback.ifPresent(path -> tree.set(key, fallback(path)));
    }

    private static ObjectNode fallback(Fallback fallback) {
        ObjectNode node = NODES.objectNode();
        node.set("to", destination(fallback.to()));
        if (fallback.voicemail()) node.put("voicemail", true);
        return node;
    }

    private static ObjectNode actions(RouteActions actions) {
        ObjectNode node = NODES.objectNode();
        actions.byOutcome().forEach((outcome, list) -> {
            ArrayNode items = node.putArray(outcome.key());
            list.forEach(action -> items.add(action(action)));
        });
        return node;
    }

    private static ObjectNode action(Action action) {
        ObjectNode node = NODES.objectNode();
        if (action instanceof Action.Create create) node.put("create", create.object());
        if (action instanceof Action.Update update) node.put("update", update.everyRecord() ? "records" : "record");
        if (action instanceof Action.LogCall logCall) {
            node.put("log-call", true);
            node.put("subject", logCall.subject().source());
        }
        if (!action.set().isEmpty()) {
            ObjectNode set = node.putObject("set");
            action.set().forEach((field, template) -> set.put(field, template.source()));
        }
        Action.Options options = action.options();
        if (options.sync()) node.put("mode", "sync");
        options.keyField().ifPresent(field -> node.put("key-field", field));
        if (!options.retryFor().equals(Action.Options.DEFAULT_RETRY_FOR)) node.put("retry-for", Durations.format(options.retryFor()));
        return node;
    }

    private static ObjectNode destination(Destination destination) {
        ObjectNode node = NODES.objectNode();
        node.put(destination.type(), destination.target());
        return node;
    }
}
