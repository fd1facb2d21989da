package io.crmroute.route;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The example route of DESIGN.md, built in code, for tests of this package and others. */
public final class Routes {

    private Routes() {}

    public static Route vip(int records) {
        return new Route("vip", "demo", "contacts",
                new Match("phone", new MatchSource.CallerId(), Optional.empty()),
                Optional.empty(),
                List.of("status", "balance"),
                "status",
                records,
                Duration.ofMillis(1500),
                List.of(
                        new Rule(Optional.of("gold"), Operator.EQ, Optional.empty(), "GOLD", new Destination.Queue("103"), false),
                        new Rule(Optional.empty(), Operator.GE, Optional.of("balance"), "1000", new Destination.Ivr("200"), false),
                        new Rule(Optional.empty(), Operator.EQ, Optional.empty(), "SILVER", new Destination.Recording("silver-greeting"), false)),
                new Fallback(new Destination.Extension("100"), true),
                Optional.of(new Fallback(new Destination.Queue("500"), false)),
                Optional.of(new Fallback(new Destination.Queue("501"), false)),
                Optional.of(new Fallback(new Destination.Queue("502"), false)),
                Optional.of(new Fallback(new Destination.Queue("900"), false)));
    }
}
