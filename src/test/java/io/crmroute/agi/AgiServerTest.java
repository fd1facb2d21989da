package io.crmroute.agi;

import io.crmroute.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.crmroute.agi.FakeAsterisk.Call;
import io.crmroute.agi.FakeAsterisk.Responder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Whole calls over real TCP: an {@link AgiServer} on 127.0.0.1 and {@link FakeAsterisk} or a raw socket. */
class AgiServerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final List<String> LOOPBACK = List.of("127.0.0.1/32");

    private AgiServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close(Duration.ofSeconds(1));
    }

    private AgiServer start(AgiCallHandler handler) {
        return start(options(LOOPBACK), handler);
    }

    private AgiServer start(AgiServerOptions options, AgiCallHandler handler) {
        server = AgiServer.start(options, handler);
        return server;
    }

    private static AgiServerOptions options(List<String> allow) {
        return AgiServerOptions.defaults("127.0.0.1", 0, allow).withWorkerThreads(1);
    }

    @Test
    void collectsDigitsThenSetsAVariable() throws Exception {
        CompletableFuture<AgiSession> seen = new CompletableFuture<>();
        start(session -> {
            seen.complete(session);
            return session.send(new GetDataCommand("enter-account", 5000, 8))
                    .thenCompose(digits -> session.send(new SetVariableCommand("CRMROUTE_DIGITS", digits.result())));
        });

        Call call = FakeAsterisk.call(server.port(), Map.of("callerid", "unknown"), Responder.asterisk().withDigits("0042"));

        assertEquals(List.of("GET DATA \"enter-account\" 5000 8", "SET VARIABLE \"CRMROUTE_DIGITS\" \"0042\""), call.commands());
        assertEquals(Map.of("CRMROUTE_DIGITS", "0042"), call.variables());
        assertTrue(call.closedByServer());
        AgiSession session = seen.get(5, TimeUnit.SECONDS);
        assertEquals("vip", session.environment().script());
        assertEquals("unknown", session.environment().callerId());
        assertEquals("127.0.0.1", session.remoteAddress().getAddress().getHostAddress());
        assertFalse(session.hangup().isDone(), "nobody hung up");
        Await.until("the server to count its sessions", WAIT, () -> server.stats().sessionsInFlight() == 0);
        assertEquals(1, server.stats().sessionsTotal());
    }

    @Test
    void hangupBetweenCommandAndReplyIsToldAtOnceAndTheReplyStillArrives() throws Exception {
        CompletableFuture<String> digits = new CompletableFuture<>();
        CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
        CompletableFuture<Boolean> replyWaitingWhenTold = new CompletableFuture<>();
        start(session -> {
            CompletableFuture<AgiReply> getData = session.send(new GetDataCommand("enter-account"));
            session.hangup().thenRun(() -> replyWaitingWhenTold.complete(!getData.isDone()));
            return getData.thenCompose(reply -> {
                digits.complete(reply.result());
                hungUp.complete(session.hangup().isDone());
                return session.send(new SetVariableCommand("CRMROUTE_STATUS", "HANGUP"));
            });
        });

        Call call = FakeAsterisk.call(server.port(), Map.of(),
                line -> line.startsWith("GET DATA") ? List.of("HANGUP", "200 result=-1") : Responder.asterisk().reply(line));

        assertTrue(replyWaitingWhenTold.get(5, TimeUnit.SECONDS), "the hangup is told before the reply that follows it");
        assertEquals("-1", digits.get(5, TimeUnit.SECONDS));
        assertTrue(hungUp.get(5, TimeUnit.SECONDS));
        assertEquals(Map.of("CRMROUTE_STATUS", "HANGUP"), call.variables());
    }

    @Test
    void deadChannelFailsChannelCommandsButVariablesStillGetSet() throws Exception {
        CompletableFuture<Throwable> getData = new CompletableFuture<>();
        start(session -> session.send(new GetDataCommand("enter-account"))
                .handle((reply, failure) -> getData.complete(failure))
                .thenCompose(ignored -> session.send(new SetVariableCommand("CRMROUTE_STATUS", "ERROR"))));

        Call call = FakeAsterisk.call(server.port(), Map.of(), Responder.asterisk().hangUpAfter(0));

        AgiCommandException refused = assertInstanceOf(AgiCommandException.class, getData.get(5, TimeUnit.SECONDS));
        assertEquals(AgiStatus.DEAD_CHANNEL, refused.reply().status());
        assertTrue(refused.getMessage().startsWith("GET DATA: 511"), refused.getMessage());
        assertEquals(Map.of("CRMROUTE_STATUS", "ERROR"), call.variables());
    }

    @Test
    void secondSendWhileOneIsInFlightFailsAndWritesNothing() throws Exception {
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        start(session -> {
            CompletableFuture<AgiReply> first = session.send(new GetDataCommand("enter-account"));
            session.send(new SetVariableCommand("X", "1")).whenComplete((reply, failure) -> second.complete(failure));
            return first;
        });

        Call call = FakeAsterisk.call(server.port(), Map.of());

        assertInstanceOf(IllegalStateException.class, second.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("GET DATA \"enter-account\""), call.commands());
    }

    @Test
    void asteriskClosingMidCommandFailsThePendingReplyAndLaterSends() throws Exception {
        CompletableFuture<Throwable> pending = new CompletableFuture<>();
        CompletableFuture<Throwable> later = new CompletableFuture<>();
        start(session -> session.send(new GetDataCommand("enter-account"))
                .whenComplete((reply, failure) -> {
                    pending.complete(failure);
                    session.send(new SetVariableCommand("X", "1")).whenComplete((r, f) -> later.complete(f));
                }));

        Call call = FakeAsterisk.call(server.port(), Map.of(), line -> List.of(FakeAsterisk.CLOSE_CONNECTION));

        assertFalse(call.closedByServer());
        assertInstanceOf(AgiSessionClosedException.class, pending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(AgiSessionClosedException.class, later.get(5, TimeUnit.SECONDS));
    }

    @Test
    void handlerThatThrowsStillEndsTheCall() throws Exception {
        start(session -> {
            throw new IllegalStateException("bug");
        });
        assertTrue(FakeAsterisk.call(server.port(), Map.of()).closedByServer());
    }

    @Test
    void halfAnEnvironmentThenCloseLeavesTheServerServing() throws Exception {
        start(session -> session.send(new SetVariableCommand("CRMROUTE_STATUS", "DEFAULT")));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("agi_network: yes\nagi_network_scr".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(Map.of("CRMROUTE_STATUS", "DEFAULT"), FakeAsterisk.call(server.port(), Map.of()).variables());
        Await.until("the server to count its sessions", WAIT, () -> server.stats().sessionsInFlight() == 0);
        assertEquals(2, server.stats().sessionsTotal());
        assertEquals(0, server.stats().protocolErrors());
    }

    @Test
    void environmentTimeoutClosesAnIdleConnection() throws Exception {
        CompletableFuture<AgiSession> called = new CompletableFuture<>();
        start(options(LOOPBACK).withEnvironmentTimeout(Duration.ofMillis(200)), session -> {
            called.complete(session);
            return CompletableFuture.completedFuture(null);
        });
        try (Socket socket = connect()) {
            socket.getOutputStream().write("agi_network: yes\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, socket.getInputStream().read(), "closed by the server");
        }
        assertFalse(called.isDone());
        assertEquals(0, server.stats().protocolErrors(), "closed by the deadline, not for a protocol error");
    }

    @Test
    void sessionTimeoutClosesACallWhoseHandlerNeverFinishes() throws Exception {
        CompletableFuture<Throwable> pending = new CompletableFuture<>();
        start(options(LOOPBACK).withSessionTimeout(Duration.ofMillis(300)), session -> {
            session.send(new GetDataCommand("enter-account")).whenComplete((r, f) -> pending.complete(f));
            return new CompletableFuture<>();
        });
        Call call = FakeAsterisk.call(server.port(), Map.of(), line -> List.of()); // never answers
        assertTrue(call.closedByServer());
        assertInstanceOf(AgiSessionClosedException.class, pending.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aPeerThatNeverRepliesIsClosedAtTheReplyDeadlineAndTheCallGetsNoMoreCommands() throws Exception {
        CompletableFuture<Throwable> pending = new CompletableFuture<>();
        start(options(LOOPBACK).withReplyTimeout(Duration.ofMillis(200)), session ->
                session.send(new SetVariableCommand("CRMROUTE_STATUS", "MATCH"))
                        .whenComplete((reply, failure) -> pending.complete(failure))
                        .thenCompose(reply -> session.send(new SetVariableCommand("CRMROUTE_DEST", "103"))));

        Call call = FakeAsterisk.call(server.port(), Map.of(), line -> List.of()); // never answers

        assertTrue(call.closedByServer());
        assertEquals(List.of("SET VARIABLE \"CRMROUTE_STATUS\" \"MATCH\""), call.commands(), "no command after the deadline");
        assertEquals(Map.of(), call.variables());
        Throwable failure = pending.get(5, TimeUnit.SECONDS);
        assertInstanceOf(AgiSessionClosedException.class, failure);
        assertEquals("SET VARIABLE: no reply within 200 ms", failure.getMessage());
    }

    @Test
    void aReplyTrickledByteByByteDoesNotPushTheDeadlineBack() throws Exception {
        CompletableFuture<Throwable> pending = new CompletableFuture<>();
        start(options(LOOPBACK).withReplyTimeout(Duration.ofMillis(200)), session -> session.send(new GetVariableCommand("ACCOUNT"))
                .whenComplete((reply, failure) -> pending.complete(failure)));
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = connect()) {
            socket.getOutputStream().write(FakeAsterisk.environmentBlock(server.port(), Map.of()).getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            while (in.read() != '\n') {
                // the GET VARIABLE line
            }
            // One byte every 10 ms of a reply that never ends: only a deadline counted from the command ends it
            // (the line bound would take 80 s at this pace, longer than this socket's read timeout).
            byte[] reply = ("200 result=1 (" + "9".repeat(8192)).getBytes(StandardCharsets.US_ASCII);
            AtomicInteger sent = new AtomicInteger();
            trickler.scheduleAtFixedRate(() -> {
                try {
                    socket.getOutputStream().write(reply[sent.getAndIncrement() % reply.length]);
                } catch (IOException closed) {
                    throw new CompletionException(closed); // stops the trickle
                }
            }, 0, 10, TimeUnit.MILLISECONDS);

            assertEquals(-1, readOrReset(in), "closed by the server");
        } finally {
            trickler.shutdownNow();
        }
        Throwable failure = pending.get(5, TimeUnit.SECONDS);
        assertInstanceOf(AgiSessionClosedException.class, failure);
        assertEquals("GET VARIABLE: no reply within 200 ms", failure.getMessage());
        assertEquals(0, server.stats().protocolErrors());
    }

    @Test
    void aHangupShortensTheWaitForTheCommandInFlightToAPlainReply() throws Exception {
        CompletableFuture<Throwable> pending = new CompletableFuture<>();
        // GET DATA's own deadline is 200 ms + 30 s prompt allowance + 8 x 5 s: only the hangup brings it down to 200 ms.
        start(options(LOOPBACK).withReplyTimeout(Duration.ofMillis(200)), session -> session.send(new GetDataCommand("enter-account", 5000, 8))
                .whenComplete((reply, failure) -> pending.complete(failure)));

        Call call = FakeAsterisk.call(server.port(), Map.of(), line -> List.of("HANGUP")); // and no reply to GET DATA

        assertTrue(call.closedByServer());
        assertEquals("GET DATA: no reply within 200 ms", pending.get(5, TimeUnit.SECONDS).getMessage());
    }

    @Test
    void sourceOutsideTheAllowlistIsClosedAtOnceAndCounted() throws Exception {
        CompletableFuture<AgiSession> called = new CompletableFuture<>();
        start(options(List.of("10.0.0.0/8", "fd00::/8")), session -> {
            called.complete(session);
            return CompletableFuture.completedFuture(null);
        });
        try (Socket socket = connect()) {
            socket.getOutputStream().write(FakeAsterisk.environmentBlock(server.port(), Map.of()).getBytes(StandardCharsets.UTF_8));
            assertEquals(-1, readOrReset(socket.getInputStream()));
        }
        assertEquals(1, server.stats().connectionsRejected());
        assertEquals(0, server.stats().sessionsTotal());
        assertFalse(called.isDone());
    }

    @Test
    void loopbackInTheAllowlistIsServed() throws Exception {
        start(options(List.of("10.0.0.0/8", "127.0.0.1")), session -> session.send(new SetVariableCommand("A", "b")));
        assertEquals(Map.of("A", "b"), FakeAsterisk.call(server.port(), Map.of()).variables());
        assertEquals(0, server.stats().connectionsRejected());
    }

    @Test
    void aThousandDroppedConnectionsThenANormalCall() throws Exception {
        start(session -> session.send(new SetVariableCommand("CRMROUTE_STATUS", "MATCH")));
        for (int batch = 0; batch < 10; batch++) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 100; i++) sockets.add(connect());
            for (Socket socket : sockets) socket.close();
        }
        assertEquals(Map.of("CRMROUTE_STATUS", "MATCH"), FakeAsterisk.call(server.port(), Map.of()).variables());
        Await.until("the server to count its sessions", WAIT, () -> server.stats().sessionsTotal() == 1001 && server.stats().sessionsInFlight() == 0);
    }

    @Test
    void megabyteLineEndsThatSessionOnly() throws Exception {
        CountDownLatch brokenSessionClosed = new CountDownLatch(1);
        List<Throwable> failures = new ArrayList<>();
        start(session -> session.send(new GetVariableCommand("ACCOUNT"))
                .thenCompose(account -> session.send(new SetVariableCommand("SEEN", account.data().orElse("none"))))
                .whenComplete((done, failure) -> {
                    if (failure == null) return;
                    synchronized (failures) {
                        failures.add(failure);
                    }
                    brokenSessionClosed.countDown();
                }));
        // A well-behaved call that answers only once the broken one has been thrown out.
        CompletableFuture<Call> goodCall = CompletableFuture.supplyAsync(() -> {
            try {
                return FakeAsterisk.call(server.port(), Map.of("uniqueid", "good"), line -> {
                    try {
                        assertTrue(brokenSessionClosed.await(5, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new CompletionException(e);
                    }
                    return Responder.asterisk().withVariables(Map.of("ACCOUNT", "42")).reply(line);
                });
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });

        try (Socket socket = connect()) {
            socket.getOutputStream().write(FakeAsterisk.environmentBlock(server.port(), Map.of("uniqueid", "broken"))
                    .getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            while (in.read() != '\n') {
                // the GET VARIABLE line
            }
            writeMegabyteLine(socket.getOutputStream());
            assertEquals(-1, readOrReset(in));
        }

        Call good = goodCall.get(10, TimeUnit.SECONDS);
        assertEquals(Map.of("SEEN", "42"), good.variables());
        assertTrue(good.closedByServer());
        assertEquals(1, server.stats().protocolErrors());
        synchronized (failures) {
            assertEquals(1, failures.size());
            assertInstanceOf(AgiSessionClosedException.class, unwrap(failures.get(0)));
        }
    }

    @Test
    void closeStopsAcceptingAndSendsAfterCloseFail() throws Exception {
        CompletableFuture<AgiSession> seen = new CompletableFuture<>();
        start(session -> {
            seen.complete(session);
            return session.send(new SetVariableCommand("A", "1"));
        });
        int port = server.port();
        FakeAsterisk.call(port, Map.of());
        server.close();
        server = null;
        ExecutionException after = assertThrows(ExecutionException.class,
                () -> seen.get(5, TimeUnit.SECONDS).send(new SetVariableCommand("B", "2")).get(5, TimeUnit.SECONDS));
        assertInstanceOf(AgiSessionClosedException.class, after.getCause());
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void ipv4MappedEntriesLetTheIpv4PeerIn() throws Exception {
        for (String mapped : List.of("::ffff:127.0.0.1/128", "::ffff:0:0/96")) {
            start(options(List.of(mapped)), session -> session.send(new SetVariableCommand("A", "b")));
            assertEquals(Map.of("A", "b"), FakeAsterisk.call(server.port(), Map.of()).variables(), mapped);
            assertEquals(0, server.stats().connectionsRejected(), mapped);
            server.close(Duration.ofSeconds(1));
            server = null;
        }
    }

    @Test
    void openingToEveryoneServesAndWarns() throws Exception {
        ListAppender<ILoggingEvent> logged = capture(AgiServer.class);
        try {
            start(options(List.of("0.0.0.0/0", "::/0")), session -> session.send(new SetVariableCommand("A", "b")));
        } finally {
            ((Logger) LoggerFactory.getLogger(AgiServer.class)).detachAppender(logged);
        }
        assertEquals(Map.of("A", "b"), FakeAsterisk.call(server.port(), Map.of()).variables());
        assertTrue(logged.list.stream().anyMatch(event -> event.getLevel() == Level.WARN
                && event.getFormattedMessage().startsWith("FastAGI is open to every address in [0.0.0.0/0, ::/0]")), logged.list.toString());
    }

    @Test
    void connectionsPastThePerSourceCapAreClosedAtOnceAndCounted() throws Exception {
        start(options(LOOPBACK).withConnectionLimits(2, 100), session -> session.send(new SetVariableCommand("A", "b")));
        try (Socket first = connect(); Socket second = connect()) {
            Await.until("the server to count its sessions", WAIT, () -> server.stats().sessionsInFlight() == 2);
            try (Socket third = connect()) {
                assertEquals(-1, readOrReset(third.getInputStream()));
            }
            assertEquals(1, server.stats().connectionsRejected());
            assertEquals(2, server.stats().sessionsTotal());
            first.close();
            Await.until("the server to count its sessions", WAIT, () -> server.stats().sessionsInFlight() == 1);
            assertEquals(Map.of("A", "b"), FakeAsterisk.call(server.port(), Map.of()).variables(), "a place freed is taken again");
        }
    }

    @Test
    void connectionsPastTheTotalCapAreClosedAtOnceAndCounted() throws Exception {
        start(options(LOOPBACK).withConnectionLimits(100, 1), session -> session.send(new SetVariableCommand("A", "b")));
        try (Socket idle = connect()) {
            Await.until("the server to count its sessions", WAIT, () -> server.stats().sessionsInFlight() == 1);
            try (Socket second = connect()) {
                assertEquals(-1, readOrReset(second.getInputStream()));
            }
            assertEquals(1, server.stats().connectionsRejected());
        }
        Await.until("the server to count its sessions", WAIT, () -> server.stats().sessionsInFlight() == 0);
        assertEquals(Map.of("A", "b"), FakeAsterisk.call(server.port(), Map.of()).variables());
    }

    @Test
    void stoppingRefusesNewCallsAtOnceAndLetsTheCallInProgressFinish() throws Exception {
        CompletableFuture<Void> held = new CompletableFuture<>();
        CountDownLatch inProgress = new CountDownLatch(1);
        start(session -> {
            inProgress.countDown();
            return held.thenCompose(released -> session.send(new SetVariableCommand("CRMROUTE_STATUS", "MATCH")));
        });
        int port = server.port();
        CompletableFuture<Call> call = CompletableFuture.supplyAsync(() -> callQuietly(port));
        assertTrue(inProgress.await(5, TimeUnit.SECONDS));

        assertEquals(1, server.stopAccepting());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        assertFalse(call.isDone(), "the call in progress is still open");
        held.complete(null);
        assertEquals(Map.of("CRMROUTE_STATUS", "MATCH"), call.get(5, TimeUnit.SECONDS).variables());
        assertEquals(new AgiServer.Drained(1, 0), server.close(Duration.ofSeconds(30)));
        server = null;
    }

    @Test
    void callsStillInProgressAfterTheGraceAreCut() throws Exception {
        CountDownLatch inProgress = new CountDownLatch(1);
        start(session -> {
            inProgress.countDown();
            return new CompletableFuture<>();
        });
        int port = server.port();
        CompletableFuture<Call> call = CompletableFuture.supplyAsync(() -> callQuietly(port));
        assertTrue(inProgress.await(5, TimeUnit.SECONDS));
        assertEquals(new AgiServer.Drained(0, 1), server.close(Duration.ofMillis(100)));
        server = null;
        assertTrue(call.get(5, TimeUnit.SECONDS).closedByServer());
    }

    @Test
    void aBacklogAboveTheKernelCapIsWarnedAbout(@TempDir Path dir) throws IOException {
        Path somaxconn = Files.writeString(dir.resolve("somaxconn"), "128\n");
        assertEquals(OptionalInt.of(128), AgiServer.kernelBacklogCap(somaxconn));
        assertEquals(OptionalInt.empty(), AgiServer.kernelBacklogCap(dir.resolve("missing")));
        assertTrue(AgiServer.backlogWarning(4096, OptionalInt.of(128)).orElseThrow().contains("net.core.somaxconn"));
        assertEquals(Optional.empty(), AgiServer.backlogWarning(128, OptionalInt.of(128)));
        assertEquals(Optional.empty(), AgiServer.backlogWarning(4096, OptionalInt.empty()));
    }

    private static Call callQuietly(int port) {
        try {
            return FakeAsterisk.call(port, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> source) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(source)).addAppender(appender);
        return appender;
    }

    private static void writeMegabyteLine(OutputStream out) {
        byte[] chunk = "9".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        try {
            out.write("200 result=1 (".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 16; i++) out.write(chunk);
            out.write(")\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException expected) {
            // the server closes the connection long before the megabyte is through
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    /** End of stream, whether the close came as a FIN or, with unread data left, as a reset. */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

}
