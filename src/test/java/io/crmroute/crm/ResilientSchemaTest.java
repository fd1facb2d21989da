package io.crmroute.crm;

import io.crmroute.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.crmroute.crm.TestCrms.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The schema through {@link CrmConnectors#create}: kept five minutes, shared while loading, refreshed on demand, never via the breaker. */
class ResilientSchemaTest {

    private static final List<CrmField> FIELDS = List.of(new CrmField("phone", "Phone", "phone", true, true));

    private final ManualTime time = new ManualTime();
    private final CrmContext context = CrmContext.create(time.clock(), time.ticker(), time.scheduler());

    /** Answers each metadata request with the next future the test queues; counts them. */
    private static final class MetadataCrm implements CrmConnector {
        final AtomicInteger objectCalls = new AtomicInteger();
        final AtomicInteger fieldCalls = new AtomicInteger();
        final ConcurrentLinkedQueue<CompletableFuture<List<CrmField>>> answers = new ConcurrentLinkedQueue<>();

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public CompletableFuture<LookupResult> lookup(LookupRequest request) {
            return CompletableFuture.failedFuture(new CrmException(CrmException.Kind.CONNECT, "crm fake: down"));
        }

        @Override
        public CompletableFuture<List<CrmObject>> objects() {
            objectCalls.incrementAndGet();
            return CompletableFuture.completedFuture(List.of(new CrmObject("Contact", "Contact")));
        }

        @Override
        public CompletableFuture<List<CrmField>> fields(String object) {
            fieldCalls.incrementAndGet();
            CompletableFuture<List<CrmField>> next = answers.poll();
            return next != null ? next : CompletableFuture.completedFuture(FIELDS);
        }
    }

    private final MetadataCrm delegate = new MetadataCrm();
    private final CrmConnector crm = new ResilientConnector(delegate,
            TestCrms.spec("fake", HttpCrm.TYPE, Map.of("url", "https://crm.invalid/crm")), context);

    @Test
    void answersAreKeptFiveMinutesPerObject() throws Exception {
        assertEquals(FIELDS, crm.fields("Contact").get(5, TimeUnit.SECONDS));
        assertEquals(FIELDS, crm.fields("Contact").get(5, TimeUnit.SECONDS));
        crm.objects().get(5, TimeUnit.SECONDS);
        crm.objects().get(5, TimeUnit.SECONDS);
        assertEquals(1, delegate.fieldCalls.get());
        assertEquals(1, delegate.objectCalls.get());

        crm.fields("Lead").get(5, TimeUnit.SECONDS);
        assertEquals(2, delegate.fieldCalls.get(), "each object has its own entry");

        time.advance(SchemaCache.TTL.minusSeconds(1));
        crm.fields("Contact").get(5, TimeUnit.SECONDS);
        assertEquals(2, delegate.fieldCalls.get(), "still kept a moment before five minutes");
        time.advance(Duration.ofSeconds(1));
        crm.fields("Contact").get(5, TimeUnit.SECONDS);
        assertEquals(3, delegate.fieldCalls.get(), "asked again after five minutes");
    }

    @Test
    void forgetSchemaMakesTheNextCallAskTheCrm() throws Exception {
        crm.fields("Contact").get(5, TimeUnit.SECONDS);
        crm.objects().get(5, TimeUnit.SECONDS);
        crm.forgetSchema();
        crm.fields("Contact").get(5, TimeUnit.SECONDS);
        crm.objects().get(5, TimeUnit.SECONDS);
        assertEquals(2, delegate.fieldCalls.get());
        assertEquals(2, delegate.objectCalls.get());
    }

    @Test
    void callersWhileALoadIsUnderWayShareItAndAFailureIsNotKept() throws Exception {
        CompletableFuture<List<CrmField>> slow = new CompletableFuture<>();
        delegate.answers.add(slow);
        CompletableFuture<List<CrmField>> first = crm.fields("Contact");
        CompletableFuture<List<CrmField>> second = crm.fields("Contact");
        assertEquals(1, delegate.fieldCalls.get(), "one request for both");
        assertFalse(first.isDone());
        slow.completeExceptionally(new CrmException(CrmException.Kind.HTTP_STATUS, "crm fake: HTTP 500"));
        assertEquals("crm fake: HTTP 500", failure(first, CrmException.Kind.HTTP_STATUS).getMessage());
        failure(second, CrmException.Kind.HTTP_STATUS);

        assertEquals(FIELDS, crm.fields("Contact").get(5, TimeUnit.SECONDS));
        assertEquals(2, delegate.fieldCalls.get(), "the failure was not kept");
    }

    @Test
    void schemaFailuresNeverOpenTheBreakerForCalls() throws Exception {
        for (int i = 0; i < 30; i++) {
            delegate.answers.add(CompletableFuture.failedFuture(new CrmException(CrmException.Kind.TIMEOUT, "crm fake: no answer")));
            failure(crm.fields("Contact"), CrmException.Kind.TIMEOUT);
        }
        assertEquals("CLOSED", crm.health().breaker());
        assertEquals("crm fake: down", failure(crm.lookup(TestCrms.request("Contact", "Phone", "1")), CrmException.Kind.CONNECT).getMessage(),
                "a call still reaches the CRM");
        assertEquals(30, delegate.fieldCalls.get());
    }
}
