package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmroute.crm.CrmSpec;
import io.crmroute.crm.CrmTypes;
import io.crmroute.crm.PhoneMatching;
import io.crmroute.route.Destination;
import io.crmroute.route.DtmfPrompt;
import io.crmroute.route.Fallback;
import io.crmroute.route.Match;
import io.crmroute.route.MatchSource;
import io.crmroute.route.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One route from a JSON body, as the admin API reads it: problems are named without a prefix. */
class RouteParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, CrmSpec> CRMS = Map.of(
            "demo", CrmSpec.standIn("demo", CrmTypes.named("file")),
            "billing", CrmSpec.standIn("billing", CrmTypes.named("http")));

    @Test
    void readsAJsonRoute() throws Exception {
        JsonNode body = JSON.readTree("{\"crm\": \"demo\", \"object\": \"contacts\","
                + " \"match\": {\"field\": \"account\", \"from\": \"arg2\", \"phone\": {\"default-country\": \"DE\"}},"
                + " \"dtmf\": {\"prompt\": \"custom/enter-account\", \"max-digits\": 6},"
                + " \"field\": \"tier\", \"records\": 3, \"timeout\": \"2s\","
                + " \"rules\": [{\"op\": \"<\", \"value\": 10, \"to\": {\"extension\": 200}, \"voicemail\": true}],"
                + " \"default\": {\"to\": {\"queue\": \"sales\"}}}");
        RouteParseResult result = RouteParser.parse("acct", body, CRMS, "");
        assertEquals(List.of(), result.problems());
        Route route = result.route().orElseThrow();
        assertEquals(new Match("account", new MatchSource.Argument(2), Optional.of(new PhoneMatching("DE", List.of()))), route.match());
        assertEquals(Optional.of(new DtmfPrompt("custom/enter-account", 6, Duration.ofSeconds(5))), route.dtmf());
        assertEquals(3, route.records());
        assertEquals(Duration.ofSeconds(2), route.timeout());
        assertEquals("10", route.rules().get(0).value());
        assertEquals(new Destination.Extension("200"), route.rules().get(0).to());
        assertTrue(route.rules().get(0).voicemail());
        assertEquals(new Fallback(new Destination.Queue("sales"), false), route.defaultPath());
        assertEquals(List.of(), route.retrieve());
    }

    @Test
    void matchSourcesAsWritten() throws Exception {
        assertEquals(new MatchSource.ChannelVariable("ACCOUNT_ID"), source("var ACCOUNT_ID"));
        assertEquals(new MatchSource.Argument(128), source("arg128"));
        assertEquals(new MatchSource.CallerId(), source("callerid"));
        for (String bad : new String[] {"arg0", "arg129", "var", "var A-B", "caller", "ARG1"}) {
            RouteParseResult result = RouteParser.parse("r", route("\"match\": {\"from\": \"" + bad + "\"},"), CRMS, "");
            assertEquals(List.of("match.from"), paths(result), bad);
        }
    }

    @Test
    void problemsAreNamedWithoutPrefixAndAllReported() throws Exception {
        JsonNode body = JSON.readTree("{\"crm\": \"demo\", \"field\": \"status\", \"records\": 0, \"timeout\": \"90s\","
                + " \"retrieve\": [\"name\", \"bad field\"],"
                + " \"rules\": [{\"op\": \"=\", \"to\": {\"queue\": \"1\"}}, {\"op\": \"=\", \"value\": \"x\", \"to\": {\"queue\": \"a b\"}}, null],"
                + " \"default\": {\"to\": {}, \"voicemail\": \"maybe\"}, \"failure\": {\"to\": {\"voicemail\": 1}}}");
        RouteParseResult result = RouteParser.parse("bad name!", body, CRMS, "");
        assertFalse(result.route().isPresent());
        assertEquals(List.of("name", "object", "retrieve[1]", "records", "timeout", "rules[0].value", "rules[1].to.queue", "rules[2]",
                "default.to", "default.voicemail", "failure.to.voicemail", "failure.to"), paths(result), result.problems()::toString);
        assertEquals("\"90s\": at most 1m", message(result, "timeout"));
        assertEquals("\"0\": expected a whole number from 1 to 100", message(result, "records"));
        assertEquals("missing (required: the CRM object or module to search)", message(result, "object"));
    }

    @Test
    void pathPrefixIsPutBeforeEveryPath() throws Exception {
        RouteParseResult result = RouteParser.parse("vip", route("\"rules\": [{\"op\": \"~\", \"value\": 1, \"to\": {\"queue\": 1}}],"),
                CRMS, "routes.vip.");
        assertEquals(List.of("routes.vip.rules[0].op"), paths(result));
    }

    @Test
    void anHttpCrmNeedsNoObject() throws Exception {
        JsonNode body = JSON.readTree("{\"crm\": \"billing\", \"field\": \"queue\", \"default\": {\"to\": {\"queue\": 1}}}");
        assertEquals("billing", RouteParser.parse("r", body, CRMS, "").route().orElseThrow().object());
    }

    @Test
    void aBodyThatIsNotAMapIsOneProblem() throws Exception {
        RouteParseResult result = RouteParser.parse("r", JSON.readTree("[1]"), CRMS, "");
        assertEquals(List.of("route"), paths(result));
    }

    @Test
    void everyShippedRouteSurvivesARoundTrip() {
        CrmrouteConfig config = ShippedConfigTest.shipped();
        for (Route route : config.routes().values()) {
            ObjectNode tree = RouteWriter.toTree(route);
            RouteParseResult reread = RouteParser.parse(route.name(), tree, config.crms(), "");
            assertEquals(List.of(), reread.problems(), route.name());
            assertEquals(Optional.of(route), reread.route(), route.name());
        }
    }

    @Test
    void aRouteWithEveryOptionSurvivesARoundTripThroughJsonText() throws Exception {
        JsonNode body = route("\"match\": {\"field\": \"acct\", \"from\": \"var ACCT\", \"phone\": {\"default-country\": \"US\", \"formats\": [\"DIGITS\"]}},"
                + " \"dtmf\": {\"prompt\": \"p\", \"max-digits\": 4, \"timeout\": \"3s\"}, \"records\": 5, \"timeout\": \"750ms\","
                + " \"retrieve\": [\"a\", \"b\"], \"rules\": [{\"name\": \"n\", \"op\": \"!=\", \"field\": \"x\", \"value\": \"\", \"to\": {\"recording\": \"r\"}}],"
                + " \"nomatch\": {\"to\": {\"ivr\": 1}, \"voicemail\": true}, \"multiple\": {\"to\": {\"ivr\": 2}},"
                + " \"withheld\": {\"to\": {\"ivr\": 3}}, \"failure\": {\"to\": {\"ivr\": 4}},");
        Route route = RouteParser.parse("full", body, CRMS, "").route().orElseThrow();
        String text = JSON.writeValueAsString(RouteWriter.toTree(route));
        assertEquals(Optional.of(route), RouteParser.parse("full", JSON.readTree(text), CRMS, "").route());
        assertFalse(RouteWriter.toTree(ShippedConfigTest.shipped().routes().get("vip")).has("match"), "a default match is omitted");
    }

    private static MatchSource source(String from) throws Exception {
        return RouteParser.parse("r", route("\"match\": {\"from\": \"" + from + "\"},"), CRMS, "").route().orElseThrow().match().from();
    }

    /** A valid minimal route with {@code extra} keys added. */
    private static JsonNode route(String extra) throws Exception {
        return JSON.readTree("{" + extra + " \"crm\": \"demo\", \"object\": \"contacts\", \"field\": \"status\","
                + " \"default\": {\"to\": {\"queue\": \"1\"}}}");
    }

    private static List<String> paths(RouteParseResult result) {
        return result.problems().stream().map(ConfigProblem::path).collect(Collectors.toList());
    }

    private static String message(RouteParseResult result, String path) {
        return result.problems().stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow().message();
    }
}
