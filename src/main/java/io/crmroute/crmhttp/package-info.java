/**
 * The HTTP client every web CRM connector sends through, on Netty: a request goes out and its reply is
 * read on the event loop of the thread that sent it (a FastAGI worker loop, so a call's CRM request
 * never changes threads), over a bounded keep-alive pool per loop and CRM host (Netty's
 * {@code FixedChannelPool}), with TLS and hostname verification (the JDK's trust store or the CRM's own
 * {@code ca-file}), an outbound proxy ({@code CONNECT} for https, absolute-form for http, Basic
 * credentials), Netty's non-blocking DNS resolver and gzip. It knows nothing of CRMs: deadlines, retries
 * and failure messages are the caller's ({@code crm.CrmHttp}); a library timer here is only a late
 * backstop. Cancelling a returned future closes the exchange's connection.
 */
package io.crmroute.crmhttp;
