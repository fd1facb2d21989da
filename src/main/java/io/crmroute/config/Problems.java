package io.crmroute.config;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Collects problems while a tree is read. One problem per key path: the first says what is wrong,
 * later ones would only be knock-on effects (an unset ${VAR} then failing the URL check).
 */
final class Problems {

    private final List<ConfigProblem> found = new ArrayList<>();

    void add(String path, String message) {
        add(new ConfigProblem(path, OptionalInt.empty(), message));
    }

    void add(ConfigProblem problem) {
        for (ConfigProblem existing : found) {
            if (existing.path().equals(problem.path())) return;
        }
        found.add(problem);
    }

    void addAll(List<ConfigProblem> problems) {
        problems.forEach(this::add);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int size() {
        return found.size();
    }

    List<ConfigProblem> list() {
        return List.copyOf(found);
    }
}
