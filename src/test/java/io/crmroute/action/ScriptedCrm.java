package io.crmroute.action;

import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.CrmWrite;
import io.crmroute.crm.LookupRequest;
import io.crmroute.crm.LookupResult;
import io.crmroute.crm.WriteKind;
import io.crmroute.crm.WriteRequest;
import io.crmroute.crm.WriteResult;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connector for the queue's unit tests: each write is answered by the test through {@link #reply}, so a test
 * says what the CRM did with each attempt. Creates are retry-safe only with a key field, as most vendors'.
 */
final class ScriptedCrm implements CrmConnector {

    final List<WriteRequest> writes = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<WriteResult>> answers = new CopyOnWriteArrayList<>();
    /** When set, every write is answered at once with a record {@code id-N}. */
    volatile boolean writeAtOnce;

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        return CompletableFuture.completedFuture(LookupResult.none());
    }

    @Override
    public CompletableFuture<WriteResult> write(WriteRequest request) {
        writes.add(request);
        CompletableFuture<WriteResult> answer = new CompletableFuture<>();
        answers.add(answer);
        if (writeAtOnce) answer.complete(WriteResult.made(request.write().object(), "id-" + answers.size(), Optional.empty()));
        return answer;
    }

    @Override
    public Set<WriteKind> writeKinds() {
        return EnumSet.allOf(WriteKind.class);
    }

    @Override
    public boolean retrySafe(CrmWrite write) {
        return !(write instanceof CrmWrite.Create create) || create.keyField().isPresent();
    }

    /** Answers attempt {@code n} (0-based) with a record {@code id}. */
    void written(int n, String id) {
        answers.get(n).complete(WriteResult.made(writes.get(n).write().object(), id, Optional.empty()));
    }

    /** Fails attempt {@code n} with {@code failure}. */
    void fails(int n, CrmException failure) {
        answers.get(n).completeExceptionally(failure);
    }

    /** Fails attempt {@code n} with HTTP {@code status} (0: a timeout). */
    void fails(int n, int status) {
        answers.get(n).completeExceptionally(status == 0
                ? new CrmException(CrmException.Kind.TIMEOUT, "crm scripted: no answer within 2000 ms")
                : new CrmException(CrmException.Kind.HTTP_STATUS, "crm scripted: HTTP " + status, status));
    }
}
