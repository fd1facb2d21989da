package io.crmroute.action;

import io.crmroute.crm.CrmRecord;
import io.crmroute.crm.CrmWrite;
import io.crmroute.route.Action;
import io.crmroute.route.Route;
import io.crmroute.route.Template;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One write of one action of one call, rendered: the action as configured and the {@link CrmWrite} it comes
 * to. An {@code update: records} comes to one write per matched record with an id; an update or call log
 * with no matched record id comes to none.
 */
record PlannedWrite(Action action, CrmWrite write) {

    /**
     * The writes of the actions {@code route} names for {@code call}'s outcome, in order; {@code sync} picks
     * the sync or the async ones. Each write's call key is {@code uniqueid:route:outcome:index[:record]}, the
     * same for every retry of it and unlike any other action's.
     */
    static List<PlannedWrite> of(Route route, ActionCall call, boolean sync, Instant now) {
        List<Action> actions = route.actions().of(call.outcome());
        List<PlannedWrite> writes = new ArrayList<>();
        for (int index = 0; index < actions.size(); index++) {
            Action action = actions.get(index);
            if (action.options().sync() != sync) continue;
            String key = call.uniqueid() + ":" + route.name() + ":" + call.outcome().key() + ":" + index;
            Map<String, String> fields = render(action.set(), call, now);
            Optional<String> keyField = action.options().keyField();
            if (action instanceof Action.Create create) {
                writes.add(new PlannedWrite(action, new CrmWrite.Create(create.object(), fields, keyField, key)));
            } else if (action instanceof Action.Update update) {
                List<CrmRecord> records = update.everyRecord() ? call.records() : call.records().stream().limit(1).toList();
                for (int r = 0; r < records.size(); r++) {
                    Optional<String> id = records.get(r).id();
                    if (id.isEmpty()) continue;
                    writes.add(new PlannedWrite(action, new CrmWrite.Update(route.object(), id.get(), fields, key + ":" + r)));
                }
            } else {
                Action.LogCall logCall = (Action.LogCall) action;
                Optional<String> id = call.records().stream().findFirst().flatMap(CrmRecord::id);
                if (id.isEmpty()) continue;
                CrmWrite.CallFacts facts = new CrmWrite.CallFacts(call.callerId(), call.dnid(), call.uniqueid(), call.started());
                writes.add(new PlannedWrite(action, new CrmWrite.LogCall(route.object(), id.get(),
                        logCall.subject().render(name -> call.value(name, now)), fields, facts, keyField, key)));
            }
        }
        return writes;
    }

    private static Map<String, String> render(Map<String, Template> set, ActionCall call, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        set.forEach((field, template) -> fields.put(field, template.render(name -> call.value(name, now))));
        return fields;
    }
}
