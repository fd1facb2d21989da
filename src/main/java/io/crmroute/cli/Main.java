package io.crmroute.cli;

/** Placeholder until the CLI lands. */
public final class Main {
    public static void main(String[] args) {
        System.err.println("crmroute: not built yet");
        System.exit(2);
    }
}
