package io.crmroute.crm;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The shape of a vendor connector, as a template: OAuth client credentials, a token shared by all
 * lookups and refreshed once on 401, one search request, flat records. (Test-only; the real vendors
 * live beside {@link HttpCrm}.)
 */
final class ExampleVendorCrm implements CrmConnector {

    private final CrmSpec spec;
    private final CrmHttp http;
    private final AccessTokens tokens;

    ExampleVendorCrm(CrmSpec spec, CrmContext context) {
        this.spec = spec;
        this.http = new CrmHttp(spec, context);
        this.tokens = new AccessTokens(() -> http.send(
                        CrmCall.postForm(URI.create(spec.authValue("token-url").orElseThrow()), Map.of(
                                "grant_type", "client_credentials",
                                "client_id", spec.authValue("client-id").orElse(""),
                                "client_secret", spec.authValue("client-secret").orElse(""))),
                        spec.timeout(), LookupRequest.NO_TRACE)
                .thenApply(response -> {
                    AccessToken token = AccessToken.fromOAuthReply(http.json(http.requireSuccess(response)), context.clock(), Duration.ofHours(1));
                    if (token == null) throw http.failure(CrmException.Kind.AUTH, "token reply without access_token");
                    return token;
                }), context.clock());
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<LookupResult> lookup(LookupRequest request) {
        return tokens.withToken(token -> http.send(
                        CrmCall.get(token.extra("instance_url").orElseThrow() + "/search",
                                        Map.of("object", request.object(), request.field(), request.value()))
                                .header("Authorization", "Bearer " + token.value()), request))
                .thenApply(response -> {
                    var results = http.json(http.requireSuccess(response)).path("results");
                    return new LookupResult(CrmRecords.flattenAll(results, request.limit()), results.size());
                });
    }
}
