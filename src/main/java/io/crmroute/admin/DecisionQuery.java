package io.crmroute.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.config.ConfigProblem;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.store.DecisionFilter;
import io.crmroute.store.DecisionHistory;
import io.crmroute.store.DecisionRow;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code GET /api/decisions?caller=&route=&status=&from=&to=&limit=}: audited decisions, newest first. */
final class DecisionQuery {

    private static final int MAX_PARAMETER = 256;

    private final DecisionHistory decisions;

    DecisionQuery(DecisionHistory decisions) {
        this.decisions = decisions;
    }

    CompletableFuture<HttpResponse> handle(HttpRequest request) {
        List<ConfigProblem> problems = new ArrayList<>();
        Optional<String> caller = text(request, "caller", problems);
        Optional<String> route = text(request, "route", problems);
        Optional<String> status = text(request, "status", problems).map(s -> s.toUpperCase(java.util.Locale.ROOT));
        Optional<Instant> from = time(request, "from", problems);
        Optional<Instant> to = time(request, "to", problems);
        int limit = limit(request, problems);
        if (!problems.isEmpty()) return AdminService.problems(problems).completed();
        DecisionFilter filter = new DecisionFilter(caller, route, status, from, to, limit);
        return decisions.query(filter).thenApply(rows -> {
            ArrayNode list = AdminService.JSON.createArrayNode();
            for (DecisionRow row : rows) list.add(json(row));
            return HttpResponse.json(200, list);
        });
    }

    private static ObjectNode json(DecisionRow row) {
        ObjectNode node = AdminService.JSON.createObjectNode();
        node.put("uniqueid", row.uniqueid());
        node.put("time", row.time().toString());
        node.put("caller", row.caller());
        node.put("route", row.route());
        node.put("status", row.status());
        node.put("rule", row.rule());
        node.put("type", row.destType().orElse(null));
        node.put("dest", row.dest().orElse(null));
        node.put("voicemail", row.voicemail());
        if (row.crmMillis().isPresent()) node.put("crm_ms", row.crmMillis().get()); else node.putNull("crm_ms");
        node.put("error", row.error().orElse(null));
        node.put("id", row.id().toString());
        node.put("channel", row.channel());
        node.put("digits", row.digits());
        node.put("crm", row.crm());
        node.put("value", row.value().orElse(null));
        if (row.recordCount().isPresent()) node.put("records", row.recordCount().get()); else node.putNull("records");
        return node;
    }

    private static Optional<String> text(HttpRequest request, String name, List<ConfigProblem> problems) {
        Optional<String> value = request.queryParam(name).filter(text -> !text.isEmpty());
        if (value.isPresent() && value.get().length() > MAX_PARAMETER) {
            problems.add(AdminService.problem(name, name + ": longer than " + MAX_PARAMETER + " characters"));
            return Optional.empty();
        }
        return value;
    }

    private static Optional<Instant> time(HttpRequest request, String name, List<ConfigProblem> problems) {
        Optional<String> value = text(request, name, problems);
        if (value.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Instant.parse(value.get()));
        } catch (DateTimeParseException e) {
            problems.add(AdminService.problem(name, name + ": not a time like 2025-01-31T09:00:00Z"));
            return Optional.empty();
        }
    }

    private static int limit(HttpRequest request, List<ConfigProblem> problems) {
        Optional<String> value = request.queryParam("limit").filter(text -> !text.isEmpty());
        if (value.isEmpty()) return DecisionFilter.DEFAULT_LIMIT;
        try {
            int limit = Integer.parseInt(value.get());
            if (limit >= 1 && limit <= DecisionFilter.MAX_LIMIT) return limit;
        } catch (NumberFormatException e) {
            // Reported below.
        }
        problems.add(AdminService.problem("limit", "limit: expected a number from 1 to " + DecisionFilter.MAX_LIMIT));
        return DecisionFilter.DEFAULT_LIMIT;
    }
}
