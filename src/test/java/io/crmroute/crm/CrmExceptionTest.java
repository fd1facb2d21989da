package io.crmroute.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a failure says to the action queue: whether to send again, and whether the CRM may have done it already. */
class CrmExceptionTest {

    private static CrmException failure(CrmException.Kind kind, int status) {
        return new CrmException(kind, "crm x: failed", status);
    }

    @Test
    void aWriteLostOnTheWayMayHaveBeenDoneAndIsWorthSendingAgain() {
        for (CrmException lost : new CrmException[] {failure(CrmException.Kind.TIMEOUT, 0), failure(CrmException.Kind.CONNECT, 0),
                failure(CrmException.Kind.HTTP_STATUS, 500), failure(CrmException.Kind.HTTP_STATUS, 503),
                failure(CrmException.Kind.HTTP_STATUS, 408)}) {
            assertEquals(true, lost.mayHaveBeenDone(), lost.kind() + " " + lost.status());
            assertEquals(true, lost.worthRetrying(), lost.kind() + " " + lost.status());
        }
    }

    @Test
    void aWriteRefusedBeforeOrAsAWholeDidNothing() {
        for (CrmException refused : new CrmException[] {failure(CrmException.Kind.CIRCUIT_OPEN, 0),
                failure(CrmException.Kind.RATE_LIMITED, 429), failure(CrmException.Kind.DNS, 0), failure(CrmException.Kind.AUTH, 401)}) {
            assertEquals(false, refused.mayHaveBeenDone(), refused.kind().name());
            assertEquals(true, refused.worthRetrying(), refused.kind().name());
        }
        CrmException invalid = failure(CrmException.Kind.HTTP_STATUS, 400);
        assertEquals(false, invalid.mayHaveBeenDone());
        assertEquals(false, invalid.worthRetrying(), "the same request is refused again");
    }

    @Test
    void theStatusSurvivesAMessageWithTheVendorsCode() {
        CrmException withCode = failure(CrmException.Kind.HTTP_STATUS, 503).withMessage("crm x: HTTP 503: SERVER_UNAVAILABLE");
        assertEquals(503, withCode.status());
        assertEquals(CrmException.Kind.HTTP_STATUS, withCode.kind());
    }
}
