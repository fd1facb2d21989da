package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.route.Destination;
import io.crmroute.route.Fallback;
import io.crmroute.route.Route;
import io.crmroute.route.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped dialplan and the shipped config are one example: every destination a shipped route can
 * produce has a place to go in dialplan-examples/extensions.conf, and every route the dialplan names
 * exists. Real Asterisk drops a call sent to a context that does not exist ("sent to invalid extension
 * but no invalid handler"), so this is what keeps a new user's first calls from vanishing.
 */
class ShippedExamplesAgreeTest {

    static final Path DIALPLAN = Path.of("dialplan-examples", "extensions.conf");

    @Test
    void everyDestinationOfEveryShippedRouteHasAPlaceInTheShippedDialplan() throws IOException {
        Dialplan dialplan = Dialplan.parse(Files.readString(DIALPLAN));
        List<String> nowhere = new ArrayList<>();
        for (Route route : ShippedConfigTest.shipped().routes().values()) {
            for (Destination destination : destinations(route)) {
                dialplan.problemReaching(destination).ifPresent(problem -> nowhere.add("route " + route.name() + ": " + problem));
            }
        }
        assertEquals(List.of(), nowhere);
    }

    @Test
    void everyRouteTheDialplanCallsExistsInTheShippedConfig() throws IOException {
        Set<String> called = Dialplan.parse(Files.readString(DIALPLAN)).agiRoutes();
        assertTrue(!called.isEmpty(), "the dialplan calls crmroute somewhere");
        Set<String> missing = new LinkedHashSet<>(called);
        missing.removeAll(ShippedConfigTest.shipped().routes().keySet());
        assertEquals(Set.of(), missing);
    }

    @Test
    void aMissingIvrContextIsFound() {
        Dialplan dialplan = Dialplan.parse("""
                [crmroute-ivr]
                exten => s,1,Goto(ivr-${CRMROUTE_DEST},s,1)
                [ivr-200]
                exten => s,1,Background(demo-congrats)
                """);
        assertEquals(java.util.Optional.empty(), dialplan.problemReaching(new Destination.Ivr("200")));
        assertEquals(java.util.Optional.of("ivr 300: context [ivr-300] (reached from [crmroute-ivr]) does not exist"),
                dialplan.problemReaching(new Destination.Ivr("300")));
        assertEquals(java.util.Optional.of("queue 103: context [crmroute-queue] does not exist"),
                dialplan.problemReaching(new Destination.Queue("103")));
    }

    @Test
    void theHagiExampleFindsTheThreeNodesOfTheExampleSrvZoneOnTheShippedPort() throws IOException {
        String dialplan = Files.readString(DIALPLAN);
        Matcher cluster = Pattern.compile("(?m)^CRMROUTE_CLUSTER=(\\S+)").matcher(dialplan);
        assertTrue(cluster.find(), "[globals] names the cluster");
        assertTrue(dialplan.contains("AGI(hagi://${CRMROUTE_CLUSTER}/"), "no port after the name: a port turns the SRV lookup off");
        String zone = Files.readString(DIALPLAN.resolveSibling("crmroute-srv.zone"));
        Matcher origin = Pattern.compile("(?m)^\\$ORIGIN (\\S+)\\.$").matcher(zone);
        assertTrue(origin.find());
        Matcher srv = Pattern.compile("(?m)^(_agi\\._tcp\\.\\S+)\\s+\\d+\\s+IN\\s+SRV\\s+\\d+\\s+\\d+\\s+(\\d+)\\s+(\\S+)$").matcher(zone);
        Set<String> targets = new LinkedHashSet<>();
        while (srv.find()) {
            assertEquals("_agi._tcp." + cluster.group(1), srv.group(1) + "." + origin.group(1));
            assertEquals(String.valueOf(ShippedConfigTest.shipped().server().agiPort()), srv.group(2));
            targets.add(srv.group(3));
        }
        assertEquals(3, targets.size(), zone);
    }

    /** Every destination a route can hand to the dialplan: its rules' and every fallback path's. */
    static Set<Destination> destinations(Route route) {
        Set<Destination> all = new LinkedHashSet<>();
        for (Rule rule : route.rules()) all.add(rule.to());
        for (Fallback path : List.of(route.defaultPath(), route.nomatchPath(), route.multiplePath(), route.withheldPath(), route.failurePath())) {
            all.add(path.to());
        }
        return all;
    }

    /** Just enough of extensions.conf: contexts, their extensions and the Goto()s and AGI()s in them. */
    record Dialplan(Map<String, Set<String>> extensions, Map<String, List<String>> gotos, Set<String> agiRoutes) {

        private static final Pattern CONTEXT = Pattern.compile("^\\[([^\\]]+)\\]");
        private static final Pattern EXTEN = Pattern.compile("^exten\\s*=>\\s*([^,]+),");
        private static final Pattern GOTO = Pattern.compile("\\bGoto\\(([^,)]+),([^,)]+),[^)]+\\)");
        private static final Pattern AGI = Pattern.compile("\\bAGI\\(h?agi://[^/]+/([^,)]+)");

        static Dialplan parse(String text) {
            Map<String, Set<String>> extensions = new LinkedHashMap<>();
            Map<String, List<String>> gotos = new LinkedHashMap<>();
            Set<String> agiRoutes = new LinkedHashSet<>();
            String context = null;
            for (String raw : text.split("\n")) {
                String line = raw.replaceAll(";.*$", "").strip();
                Matcher header = CONTEXT.matcher(line);
                if (header.find()) {
                    context = header.group(1);
                    extensions.putIfAbsent(context, new LinkedHashSet<>());
                    gotos.putIfAbsent(context, new ArrayList<>());
                    continue;
                }
                if (context == null) continue;
                Matcher exten = EXTEN.matcher(line);
                if (exten.find()) extensions.get(context).add(exten.group(1).strip());
                Matcher jump = GOTO.matcher(line);
                while (jump.find()) gotos.get(context).add(jump.group(1).strip() + "," + jump.group(2).strip());
                Matcher agi = AGI.matcher(line);
                while (agi.find()) agiRoutes.add(agi.group(1).strip());
            }
            return new Dialplan(extensions, gotos, agiRoutes);
        }

        /** Why a call sent to {@code destination} would find no place to go, if it would not. */
        java.util.Optional<String> problemReaching(Destination destination) {
            String what = destination.type() + " " + destination.target();
            String entry = "crmroute-" + destination.type();
            if (!extensions.containsKey(entry)) return java.util.Optional.of(what + ": context [" + entry + "] does not exist");
            if (!extensions.get(entry).contains("s")) return java.util.Optional.of(what + ": [" + entry + "] has no extension s");
            for (String jump : gotos.get(entry)) {
                String[] target = jump.replace("${CRMROUTE_DEST}", destination.target())
                        .replace("${CRMROUTE_TYPE}", destination.type()).split(",");
                if (target[0].contains("${")) continue; // a variable the dialplan sets itself
                if (!extensions.containsKey(target[0])) {
                    return java.util.Optional.of(what + ": context [" + target[0] + "] (reached from [" + entry + "]) does not exist");
                }
                if (!extensions.get(target[0]).contains(target[1])) {
                    return java.util.Optional.of(what + ": [" + target[0] + "] has no extension " + target[1]);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
