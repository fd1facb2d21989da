package io.crmroute.action;

import io.crmroute.crm.CrmRecord;
import io.crmroute.route.ActionOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The call an action is for, as its templates see it: Asterisk's facts ({@code {callerid}}, {@code {dnid}},
 * {@code {uniqueid}}, {@code {channel}}, {@code {argN}}), the digits pressed, the lookup's variables as the
 * call sets them ({@code {CRM_...}}), the records matched (for update and log-call) and when the call came in.
 */
public record ActionCall(String route, ActionOutcome outcome, String uniqueid, String channel, String callerId, String dnid,
                         String digits, List<String> args, Instant started, Map<String, String> variables, List<CrmRecord> records) {

    public ActionCall {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(outcome, "outcome");
        uniqueid = uniqueid == null ? "" : uniqueid;
        channel = channel == null ? "" : channel;
        callerId = callerId == null ? "" : callerId;
        dnid = dnid == null ? "" : dnid;
        digits = digits == null ? "" : digits;
        args = List.copyOf(args);
        Objects.requireNonNull(started, "started");
        variables = Map.copyOf(variables);
        records = List.copyOf(records);
    }

    /** The value of placeholder {@code name} ({@code now} is the time the action is made, given). */
    String value(String name, Instant now) {
        switch (name) {
            case "callerid": return callerId;
            case "digits": return digits;
            case "dnid": return dnid;
            case "uniqueid": return uniqueid;
            case "channel": return channel;
            case "now": return now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            default:
                if (name.startsWith("arg")) {
                    int position = Integer.parseInt(name.substring(3));
                    return position <= args.size() ? args.get(position - 1) : "";
                }
                return variables.getOrDefault(name, "");
        }
    }
}
