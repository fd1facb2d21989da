package io.crmroute.schema;

import io.crmroute.concurrent.Futures;
import io.crmroute.config.ConfigProblem;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.CrmField;
import io.crmroute.crm.CrmObject;
import io.crmroute.route.Route;
import io.crmroute.route.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Checks routes against their CRMs' schemas, every CRM at once and each object's fields asked once. A CRM
 * without a schema (the custom {@code http} CRM) is a note, not a problem; a CRM that cannot be reached is
 * one problem for all its routes. A field of a related record ({@code Account.Name}) is checked only when
 * the CRM lists it under that name: its own object's schema is not read.
 */
public final class OnlineCheck {

    /** What the check found: {@code problems} make {@code check} fail; {@code notes} say what was not checked. */
    public record Outcome(List<ConfigProblem> problems, List<String> notes) {

        public Outcome {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }
    }

    private OnlineCheck() {}

    /** Checks {@code routes}; a route whose CRM has no connector in {@code connectors} is left out. Never fails. */
    public static CompletableFuture<Outcome> run(Map<String, Route> routes, Map<String, CrmConnector> connectors) {
        Map<String, List<Route>> byCrm = new LinkedHashMap<>();
        for (Route route : routes.values()) {
            if (connectors.containsKey(route.crm())) byCrm.computeIfAbsent(route.crm(), crm -> new ArrayList<>()).add(route);
        }
        List<CompletableFuture<Outcome>> checks = new ArrayList<>();
        byCrm.forEach((crm, crmRoutes) -> checks.add(checkCrm(crm, connectors.get(crm), crmRoutes)));
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ConfigProblem> problems = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (CompletableFuture<Outcome> check : checks) {
                problems.addAll(check.join().problems());
                notes.addAll(check.join().notes());
            }
            return new Outcome(problems, notes);
        });
    }

    private static CompletableFuture<Outcome> checkCrm(String crm, CrmConnector connector, List<Route> routes) {
        return safely(connector::objects).thenCompose(objects -> {
            Map<String, CompletableFuture<List<CrmField>>> fieldsOf = new LinkedHashMap<>();
            List<CompletableFuture<List<ConfigProblem>>> checks = new ArrayList<>();
            for (Route route : routes) {
                Optional<String> object = find(objects, CrmObject::name, route.object(), connector.namesIgnoreCase());
                if (object.isEmpty()) {
                    checks.add(CompletableFuture.completedFuture(List.of(problem(route, "object",
                            "\"" + route.object() + "\" is not an object of crm " + crm))));
                    continue;
                }
                CompletableFuture<List<CrmField>> fields = fieldsOf.computeIfAbsent(object.get(), name -> safely(() -> connector.fields(name)));
                checks.add(fields.handle((listed, error) -> error == null
                        ? new RouteCheck(crm, route, object.get(), listed, connector.namesIgnoreCase()).problems()
                        : List.of(problem(route, "object", "cannot list the fields of " + object.get() + ": " + message(error)))));
            }
            return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<ConfigProblem> problems = new ArrayList<>();
                checks.forEach(check -> problems.addAll(check.join()));
                return new Outcome(problems, List.of());
            });
        }).exceptionally(error -> {
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof CrmException failure && failure.kind() == CrmException.Kind.UNSUPPORTED) {
                return new Outcome(List.of(), List.of("crms." + crm + ": not checked online: crm " + crm + " has no schema"));
            }
            return new Outcome(List.of(new ConfigProblem("crms." + crm, OptionalInt.empty(), "cannot be checked online: " + message(cause))),
                    List.of());
        });
    }

    /** One route's fields against its object's fields. */
    private record RouteCheck(String crm, Route route, String object, List<CrmField> fields, boolean ignoreCase) {

        List<ConfigProblem> problems() {
            List<ConfigProblem> problems = new ArrayList<>();
            field(route.match().field()).ifPresentOrElse(field -> {
                if (!field.filterable()) problems.add(problem(route, "match.field", quoted(field.name()) + " cannot be filtered on"));
            }, () -> missing(problems, route.match().field(), "match.field"));
            readable(problems, route.field(), "field");
            for (int i = 0; i < route.rules().size(); i++) {
                Rule rule = route.rules().get(i);
                if (rule.field().isPresent()) readable(problems, rule.field().get(), "rules[" + i + "].field");
            }
            for (int i = 0; i < route.retrieve().size(); i++) readable(problems, route.retrieve().get(i), "retrieve[" + i + "]");
            return problems;
        }

        private void readable(List<ConfigProblem> problems, String name, String key) {
            field(name).ifPresentOrElse(field -> {
                if (!field.readable()) problems.add(problem(route, key, quoted(field.name()) + " cannot be read by the CRM user"));
            }, () -> missing(problems, name, key));
        }

        private Optional<CrmField> field(String name) {
            return find(fields, CrmField::name, name, ignoreCase).flatMap(found -> fields.stream().filter(f -> f.name().equals(found)).findFirst());
        }

        private void missing(List<ConfigProblem> problems, String name, String key) {
            if (name.contains(".")) return; // a related record's field (Account.Name): its object is not read
            problems.add(problem(route, key, "\"" + name + "\" is not a field of " + object + " in crm " + crm));
        }

        private String quoted(String name) {
            return "\"" + name + "\" of " + object + " in crm " + crm;
        }
    }

    /** The listed name {@code wanted} stands for: the same, or the same ignoring case where the CRM ignores it. */
    private static <T> Optional<String> find(List<T> listed, java.util.function.Function<T, String> name, String wanted, boolean ignoreCase) {
        for (T item : listed) if (name.apply(item).equals(wanted)) return Optional.of(wanted);
        if (!ignoreCase) return Optional.empty();
        return listed.stream().map(name).filter(n -> n.equalsIgnoreCase(wanted)).findFirst();
    }

    private static ConfigProblem problem(Route route, String key, String message) {
        return new ConfigProblem("routes." + route.name() + "." + key, OptionalInt.empty(), message);
    }

    private static String message(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        return cause instanceof CrmException ? cause.getMessage() : "unexpected failure: " + cause;
    }

    /** The connector's future, or its exception as a failed one (a connector is not supposed to throw). */
    private static <T> CompletableFuture<T> safely(java.util.function.Supplier<CompletableFuture<T>> call) {
        try {
            CompletableFuture<T> future = call.get();
            return future != null ? future : CompletableFuture.failedFuture(new IllegalStateException("the connector answered null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
