package io.crmroute.route;

/** Where a call goes: the closed set of places a dialplan can jump to. */
public sealed interface Destination permits Destination.Queue, Destination.Ivr, Destination.Recording, Destination.Extension {

    /** The value of CRMROUTE_TYPE. */
    String type();

    /** The value of CRMROUTE_DEST. */
    String target();

    record Queue(String target) implements Destination {
        public String type() { return "queue"; }
    }

    record Ivr(String target) implements Destination {
        public String type() { return "ivr"; }
    }

    record Recording(String target) implements Destination {
        public String type() { return "recording"; }
    }

    record Extension(String target) implements Destination {
        public String type() { return "extension"; }
    }

    /** The destination for a {@code to:} key and its value, e.g. {@code of("queue", "103")}. */
    static Destination of(String type, String target) {
        switch (type) {
            case "queue": return new Queue(target);
            case "ivr": return new Ivr(target);
            case "recording": return new Recording(target);
            case "extension": return new Extension(target);
            default: throw new IllegalArgumentException("destination type: " + type + " (expected: queue, ivr, recording or extension)");
        }
    }
}
