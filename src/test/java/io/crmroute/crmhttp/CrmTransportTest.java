package io.crmroute.crmhttp;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CRM client on real sockets on 127.0.0.1: TLS against a private CA, the proxy, the pool's bound and
 * reuse, cancellation closing the connection, gzip, and the event loop a reply is read on.
 */
class CrmTransportTest {

    private final CrmTransport transport = CrmTransport.onClientLoop();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        transport.close();
        for (AutoCloseable resource : closing) resource.close();
    }

    private <T extends AutoCloseable> T closed(T resource) {
        closing.add(resource);
        return resource;
    }

    private static OutboundRequest get(String url) {
        return new OutboundRequest("GET", URI.create(url), List.of(Map.entry("Accept", "application/json")), Optional.empty());
    }

    private static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<HttpResponse<String>> future) {
        return assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void aPrivateCaIsTrustedOnlyWithItsCaFile() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
        FakeNettyCrm crm = closed(FakeNettyCrm.overTls(certificate, "{\"total\": 1}"));
        String url = "https://localhost:" + crm.port() + "/crm";

        Throwable refused = failure(transport.endpoint(EndpointSettings.DEFAULT).send(get(url)));
        assertInstanceOf(SSLException.class, refused);
        assertTrue(refused.getMessage().contains("PKIX"), refused.getMessage());

        EndpointSettings withCa = EndpointSettings.DEFAULT.withCaFile(certificate.certificate().toPath());
        HttpResponse<String> response = answer(transport.endpoint(withCa).send(get(url)));
        assertEquals(200, response.statusCode());
        assertEquals("{\"total\": 1}", response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void aCertificateForAnotherHostIsRefusedEvenFromTheTrustedCa() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
        FakeNettyCrm crm = closed(FakeNettyCrm.overTls(certificate, "{}"));
        EndpointSettings withCa = EndpointSettings.DEFAULT.withCaFile(certificate.certificate().toPath());

        Throwable mismatch = failure(transport.endpoint(withCa).send(get("https://127.0.0.1:" + crm.port() + "/crm")));

        assertInstanceOf(SSLException.class, mismatch);
        assertTrue(mismatch.getMessage().contains("subject alternative names"), mismatch.getMessage()); // the JDK's words
        assertTrue(crm.seen().isEmpty(), "no request went to a host that could not prove its name");
    }

    @Test
    void httpsGoesThroughTheProxysConnectTunnelWithItsCredentials() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
        FakeNettyCrm crm = closed(FakeNettyCrm.overTls(certificate, "{\"via\": \"tunnel\"}"));
        TestConnectProxy proxy = closed(new TestConnectProxy());
        EndpointSettings settings = EndpointSettings.DEFAULT.withCaFile(certificate.certificate().toPath())
                .withProxy(ProxyAddress.parse("http://crm-user:s3cret@127.0.0.1:" + proxy.port()));

        HttpResponse<String> response = answer(transport.endpoint(settings).send(get("https://localhost:" + crm.port() + "/crm?q=1")));

        assertEquals("{\"via\": \"tunnel\"}", response.body());
        assertEquals(List.of(new TestConnectProxy.Asked("CONNECT localhost:" + crm.port() + " HTTP/1.1", basic("crm-user:s3cret"))),
                proxy.asked());
        assertEquals("/crm?q=1", crm.seen().get(0).target(), "the CRM got the request through the tunnel, in origin form");
        assertFalse(crm.seen().get(0).headers().containsKey("Proxy-Authorization"), "the proxy's credentials stay with the proxy");
    }

    @Test
    void plainHttpGoesToTheProxyInAbsoluteForm() throws Exception {
        FakeNettyCrm crm = closed(FakeNettyCrm.answering("{\"via\": \"proxy\"}"));
        TestConnectProxy proxy = closed(new TestConnectProxy());
        EndpointSettings settings = EndpointSettings.DEFAULT.withProxy(ProxyAddress.parse("http://u:p@127.0.0.1:" + proxy.port()));
        String url = "http://127.0.0.1:" + crm.port() + "/crm?q=1";

        assertEquals("{\"via\": \"proxy\"}", answer(transport.endpoint(settings).send(get(url))).body());

        assertEquals(List.of(new TestConnectProxy.Asked("GET " + url + " HTTP/1.1", basic("u:p"))), proxy.asked());
        assertEquals("/crm?q=1", crm.seen().get(0).target());
    }

    @Test
    void sequentialRequestsShareOneKeptAliveConnection() throws Exception {
        FakeNettyCrm crm = closed(FakeNettyCrm.answering("{}"));
        Endpoint endpoint = transport.endpoint(EndpointSettings.DEFAULT.withMaxConnections(2));
        for (int i = 0; i < 20; i++) {
            assertEquals(200, answer(endpoint.send(get("http://127.0.0.1:" + crm.port() + "/crm?i=" + i))).statusCode());
        }
        assertEquals(20, crm.seen().size());
        assertEquals(1, crm.accepted(), "20 lookups, one connection");
    }

    @Test
    void requestsBeyondThePoolsBoundWaitForAConnection() throws Exception {
        FakeNettyCrm crm = closed(FakeNettyCrm.holding());
        Endpoint endpoint = transport.endpoint(EndpointSettings.DEFAULT.withMaxConnections(2));
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) sent.add(endpoint.send(get("http://127.0.0.1:" + crm.port() + "/crm?i=" + i)));
        assertTrue(crm.awaitRequests(2));

        sent.get(0).cancel(true); // its caller left: its connection is closed and the pool's permit goes to a waiting request

        assertTrue(crm.awaitClosedWhileHeld(1), "the CRM saw the abandoned request's connection closed");
        assertTrue(crm.awaitRequests(1), "a waiting request got the freed place");
        assertEquals(3, crm.accepted(), "never more than 2 open at once: 2, then 1 after the first was closed");
        assertEquals(3, crm.seen().size());
        sent.forEach(request -> request.cancel(true));
        assertTrue(crm.awaitClosedWhileHeld(2));
    }

    @Test
    void cancellingARequestTheCrmHoldsClosesItsConnection() throws Exception {
        FakeNettyCrm crm = closed(FakeNettyCrm.holding());
        CompletableFuture<HttpResponse<String>> request = transport.endpoint(EndpointSettings.DEFAULT)
                .send(get("http://127.0.0.1:" + crm.port() + "/crm"));
        assertTrue(crm.awaitRequests(1), "the CRM holds the request");

        request.cancel(true);

        assertTrue(crm.awaitClosedWhileHeld(1), "the CRM saw the connection closed while it held the request");
    }

    @Test
    void aGzippedReplyIsDecoded() throws Exception {
        FakeNettyCrm crm = closed(FakeNettyCrm.gzipping("{\"name\": \"Zoë\"}"));
        HttpResponse<String> response = answer(transport.endpoint(EndpointSettings.DEFAULT).send(get("http://127.0.0.1:" + crm.port() + "/")));
        assertEquals("{\"name\": \"Zoë\"}", response.body());
        assertEquals("gzip, deflate", crm.seen().get(0).headers().get("Accept-Encoding"));
    }

    @Test
    void aRequestSentOnAnEventLoopIsAnsweredOnThatLoop() throws Exception {
        FakeNettyCrm crm = closed(FakeNettyCrm.answering("{}"));
        NioEventLoopGroup workers = new NioEventLoopGroup(2);
        try (CrmTransport onWorkers = CrmTransport.on(workers)) {
            Endpoint endpoint = onWorkers.endpoint(EndpointSettings.DEFAULT);
            for (io.netty.util.concurrent.EventExecutor executor : workers) {
                EventLoop loop = (EventLoop) executor;
                CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
                Thread sender = loop.submit(() -> {
                    // Nothing completes before this task returns: the reply is read on this same thread.
                    endpoint.send(get("http://127.0.0.1:" + crm.port() + "/")).whenComplete((r, e) -> answeredOn.complete(Thread.currentThread()));
                    return Thread.currentThread();
                }).get(10, TimeUnit.SECONDS);
                assertSame(sender, answeredOn.get(10, TimeUnit.SECONDS));
            }
            assertEquals(2, crm.accepted(), "one connection per loop");
        } finally {
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @Test
    void theProxyIsReadWithoutShowingItsCredentials() {
        ProxyAddress proxy = ProxyAddress.parse("http://user:p%40ss@proxy.internal:3128");
        assertEquals(new ProxyAddress("proxy.internal", 3128, Optional.of("user"), Optional.of("p@ss")), proxy);
        assertEquals("http://****@proxy.internal:3128", proxy.toString());
        assertEquals(Optional.of("a+b/c=="), ProxyAddress.parse("http://user:a+b%2Fc==@proxy.internal:3128").password(),
                "a base64 password's + stays a +");
        assertEquals(Optional.empty(), ProxyAddress.parse("http://10.0.0.5:8080").username());
        for (String bad : List.of("https://proxy:3128", "http://proxy", "proxy:3128", "http://proxy:3128/path", "http://user@proxy:3128")) {
            assertThrows(IllegalArgumentException.class, () -> ProxyAddress.parse(bad), bad);
        }
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
