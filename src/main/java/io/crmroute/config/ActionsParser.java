package io.crmroute.config;

import io.crmroute.route.Action;
import io.crmroute.route.ActionOutcome;
import io.crmroute.route.RouteActions;
import io.crmroute.route.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A route's {@code actions:} (DESIGN.md "Write actions"): per outcome a list of {@code create: OBJECT},
 * {@code update: record|records} or {@code log-call: true} with {@code set:}, {@code subject:}, {@code mode:},
 * {@code key-field:} and {@code retry-for:}. Every template is parsed here, so a misspelt placeholder is a
 * problem naming its key path.
 */
final class ActionsParser {

    static final Duration MAX_RETRY_FOR = Duration.ofHours(24);
    private static final Set<String> ACTION_KEYS = Set.of("create", "update", "log-call", "set", "subject", "mode", "key-field", "retry-for");
    private static final List<String> KINDS = List.of("create", "update", "log-call");
    private static final Set<String> OUTCOME_KEYS = Arrays.stream(ActionOutcome.values()).map(ActionOutcome::key)
            .collect(Collectors.toUnmodifiableSet());

    private ActionsParser() {}

    static RouteActions read(Section route) {
        Optional<Section> section = route.section("actions");
        if (section.isEmpty()) return RouteActions.NONE;
        Section actions = section.get();
        actions.onlyKeys(OUTCOME_KEYS);
        Map<ActionOutcome, List<Action>> byOutcome = new EnumMap<>(ActionOutcome.class);
        for (ActionOutcome outcome : ActionOutcome.values()) {
            actions.list(outcome.key()).ifPresent(items -> {
                List<Action> read = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    String path = KeyPaths.index(actions.pathOf(outcome.key()), i);
                    if (items.get(i).isNull()) actions.problem(outcome.key() + "[" + i + "]", "empty action");
                    actions.sectionAt(items.get(i), path).flatMap(item -> action(item, outcome)).ifPresent(read::add);
                }
                byOutcome.put(outcome, read);
            });
        }
        return new RouteActions(byOutcome);
    }

    private static Optional<Action> action(Section item, ActionOutcome outcome) {
        item.onlyKeys(ACTION_KEYS);
        List<String> kinds = KINDS.stream().filter(item::has).toList();
        if (kinds.size() != 1) {
            item.problemHere("expected exactly one of " + String.join(", ", KINDS) + (kinds.isEmpty() ? "" : " (found " + String.join(", ", kinds) + ")"));
            return Optional.empty();
        }
        String kind = kinds.get(0);
        if (!kind.equals("create") && outcome != ActionOutcome.MATCH) {
            item.problem(kind, kind + " needs the matched record: only under actions.match");
        }
        if (!kind.equals("log-call") && item.has("subject")) item.problem("subject", "only for log-call");
        Optional<Action.Options> options = options(item);
        Optional<Map<String, Template>> set = set(item, !kind.equals("log-call"));
        switch (kind) {
            case "create": {
                Optional<String> object = item.requiredText("create", Names.FIELD, Names.FIELD_EXPECTED);
                if (object.isEmpty() || set.isEmpty() || options.isEmpty()) return Optional.empty();
                return Optional.of(new Action.Create(object.get(), set.get(), options.get()));
            }
            case "update": {
                Optional<String> which = item.requiredText("update").filter(text -> {
                    if (text.equals("record") || text.equals("records")) return true;
                    item.problem("update", "\"" + Names.shown(text) + "\": expected record (the first matched record) or records (each one)");
                    return false;
                });
                if (which.isEmpty() || set.isEmpty() || options.isEmpty()) return Optional.empty();
                return Optional.of(new Action.Update(which.get().equals("records"), set.get(), options.get()));
            }
            default: {
                Optional<Boolean> on = item.bool("log-call");
                if (on.isPresent() && !on.get()) item.problem("log-call", "expected true (leave the action out to log no call)");
                if (!item.has("subject")) item.problem("subject", "missing (required: the call activity's subject, e.g. \"Call to {dnid}\")");
                Optional<Template> subject = template(item, "subject");
                if (!on.orElse(false) || subject.isEmpty() || set.isEmpty() || options.isEmpty()) return Optional.empty();
                return Optional.of(new Action.LogCall(subject.get(), set.get(), options.get()));
            }
        }
    }

    private static Optional<Action.Options> options(Section item) {
        Optional<Action.Mode> mode = item.text("mode").flatMap(text -> {
            if (text.equals("async")) return Optional.of(Action.Mode.ASYNC);
            if (text.equals("sync")) return Optional.of(Action.Mode.SYNC);
            item.problem("mode", "\"" + Names.shown(text) + "\": expected async (queued, the caller never waits) or sync (within the route's timeout)");
            return Optional.empty();
        });
        if (item.has("mode") && mode.isEmpty()) return Optional.empty();
        Optional<String> keyField = item.text("key-field", Names.FIELD, Names.FIELD_EXPECTED);
        if (item.has("key-field") && keyField.isEmpty()) return Optional.empty();
        Optional<Duration> retryFor = item.duration("retry-for", MAX_RETRY_FOR);
        if (item.has("retry-for") && retryFor.isEmpty()) return Optional.empty();
        Action.Mode chosen = mode.orElse(Action.Mode.ASYNC);
        if (chosen == Action.Mode.SYNC && item.has("retry-for")) {
            item.problem("retry-for", "only for async actions (a sync action has the route's timeout)");
            return Optional.empty();
        }
        return Optional.of(new Action.Options(chosen, keyField, retryFor.orElse(Action.Options.DEFAULT_RETRY_FOR)));
    }

    /** {@code set:} field name to template; required (and not empty) when {@code required}. */
    private static Optional<Map<String, Template>> set(Section item, boolean required) {
        if (!item.has("set")) {
            if (required) item.problem("set", "missing (required: the fields to write, e.g. { Phone: \"{callerid}\" })");
            return required ? Optional.empty() : Optional.of(Map.of());
        }
        return item.section("set").flatMap(set -> {
            Map<String, Template> fields = new LinkedHashMap<>();
            boolean valid = true;
            for (String field : set.keys()) {
                if (!Names.FIELD.matcher(field).matches()) {
                    set.problem(field, "\"" + Names.shown(field) + "\": " + Names.FIELD_EXPECTED);
                    valid = false;
                    continue;
                }
                Optional<Template> template = template(set, field);
                if (template.isPresent()) fields.put(field, template.get());
                else valid = false;
            }
            if (valid && fields.isEmpty() && required) {
                item.problem("set", "must name at least one field");
                valid = false;
            }
            return valid ? Optional.of(fields) : Optional.empty();
        });
    }

    private static Optional<Template> template(Section section, String key) {
        return section.text(key).flatMap(text -> {
            try {
                return Optional.of(Template.parse(text));
            } catch (IllegalArgumentException bad) {
                section.problem(key, bad.getMessage());
                return Optional.empty();
            }
        });
    }

}
