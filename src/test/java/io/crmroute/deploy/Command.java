package io.crmroute.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One command run to its end, as an operator would type it: its exit status and everything it printed. */
record Command(List<String> words, int exit, String output) {

    private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static Command run(String... words) throws IOException, InterruptedException {
        Path output = Files.createTempFile("crmroute-command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(words).redirectErrorStream(true).redirectOutput(output.toFile());
            // dpkg refuses to run without the sbin folders on PATH, and adduser, runuser and deluser live there.
            builder.environment().merge("PATH", SYSTEM_PATH, (inherited, system) -> system + ":" + inherited);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after 120 s: " + String.join(" ", words));
            }
            return new Command(List.of(words), process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** This command, which must have exited 0. */
    Command succeeded() {
        if (exit != 0) throw new AssertionError(String.join(" ", words) + " exited " + exit + ":\n" + output);
        return this;
    }

    static boolean exists(String program) throws IOException, InterruptedException {
        return run("sh", "-c", "command -v " + program).exit() == 0;
    }
}
