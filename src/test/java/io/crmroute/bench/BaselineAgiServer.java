package io.crmroute.bench;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.SimpleMappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;

/**
 * The baseline: asterisk-java 3.41's {@link DefaultAgiServer} (a thread per call) running
 * {@link BaselineScript}, the same route as crmroute's. Exposes on its own HTTP port the numbers the
 * report compares, in crmroute's metric names: Micrometer's JVM heap and live threads, and
 * {@code crmroute_agi_sessions_in_flight}.
 *
 * <p>As a child JVM: {@code BaselineAgiServer --agi-port P --http-port H --crm-port C --down-port D
 * [--max-pool N]}; without {@code --max-pool} the pool is as shipped (core 10, max 500). Prints
 * {@code READY} when both ports listen and runs until killed.
 */
final class BaselineAgiServer implements AutoCloseable {

    /** Pool sizes of DefaultAgiServer 3.41 as shipped (AbstractAgiServer's defaults). */
    static final int SHIPPED_CORE_POOL = 10;
    static final int SHIPPED_MAX_POOL = 500;

    record Options(int agiPort, int httpPort, int crmPort, int downPort, int maxPool) {

        boolean shipped() {
            return maxPool <= 0;
        }
    }

    private final DefaultAgiServer agi;
    private final Thread acceptor;
    private final HttpServer http;

    private BaselineAgiServer(DefaultAgiServer agi, Thread acceptor, HttpServer http) {
        this.agi = agi;
        this.acceptor = acceptor;
        this.http = http;
    }

    /** Starts both ports; returns once the AGI port accepts connections. */
    static BaselineAgiServer start(Options options) throws IOException, InterruptedException {
        BenchLogging.quiet();
        AtomicInteger inFlight = new AtomicInteger();
        Map<String, AgiScript> scripts = new HashMap<>();
        BaselineScript script = new BaselineScript(options.crmPort(), options.downPort(), inFlight);
        for (String route : BenchRoutes.ALL) scripts.put(route, script);
        SimpleMappingStrategy mapping = new SimpleMappingStrategy();
        mapping.setMappings(scripts);

        CountDownLatch listening = new CountDownLatch(1);
        DefaultAgiServer agi = new DefaultAgiServer(mapping) {
            @Override
            protected ServerSocketFacade createServerSocket() throws IOException {
                ServerSocketFacade socket = super.createServerSocket();
                listening.countDown();
                return socket;
            }
        };
        agi.setAddress(InetAddress.getLoopbackAddress());
        agi.setPort(options.agiPort());
        if (!options.shipped()) {
            agi.setMaximumPoolSize(Math.max(options.maxPool(), SHIPPED_CORE_POOL));
        }
        HttpServer http = metricsServer(options.httpPort(), inFlight);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread acceptor = new Thread(() -> {
            try {
                agi.startup();
            } catch (IOException e) {
                System.err.println("baseline: cannot listen on " + options.agiPort() + ": " + e);
            } finally {
                stopped.countDown();
            }
        }, "baseline-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        boolean started = false;
        for (int i = 0; i < 100 && !started && stopped.getCount() > 0; i++) {
            started = listening.await(100, TimeUnit.MILLISECONDS);
        }
        if (!started) {
            http.stop(0);
            agi.shutdown();
            throw new IOException("baseline AGI port " + options.agiPort() + " did not open");
        }
        return new BaselineAgiServer(agi, acceptor, http);
    }

    /** {@code /metrics} (JVM heap, live threads, sessions in flight in crmroute's names) and {@code /health}. */
    static HttpServer metricsServer(int port, AtomicInteger inFlight) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        registry.gauge("crmroute.agi.sessions.in.flight", inFlight);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        http.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.createContext("/health", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return http;
    }

    @Override
    public void close() {
        http.stop(0);
        agi.shutdown();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) flags.put(args[i], args[i + 1]);
        Options options = new Options(Integer.parseInt(flags.get("--agi-port")), Integer.parseInt(flags.get("--http-port")),
                Integer.parseInt(flags.get("--crm-port")), Integer.parseInt(flags.get("--down-port")),
                Integer.parseInt(flags.getOrDefault("--max-pool", "0")));
        BenchLogging.quietChild();
        BaselineAgiServer server = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("READY agi=" + options.agiPort() + " http=" + options.httpPort()
                + " pool=" + (options.shipped() ? "shipped" : "max " + options.maxPool()));
        System.out.flush();
        new CountDownLatch(1).await();   // until the harness kills this JVM
    }
}
