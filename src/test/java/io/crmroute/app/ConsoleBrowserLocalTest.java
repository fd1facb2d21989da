package io.crmroute.app;

import java.util.Map;

/** The console on a server without a database: the local route store and decisions in memory. */
class ConsoleBrowserLocalTest extends ConsoleBrowserTest {

    @Override
    String kind() {
        return "local";
    }

    @Override
    String databaseYaml() {
        return "";
    }

    @Override
    Map<String, String> environment() {
        return Map.of();
    }
}
