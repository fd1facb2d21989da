package io.crmroute.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmroute.http.HttpRequest;
import io.crmroute.http.HttpResponse;
import io.crmroute.http.HttpRouting;
import io.crmroute.http.HttpService;
import io.crmroute.logging.RepeatedWarning;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/signin} with {@code {"code": "..."}} from the one-time sign-in link: the generated
 * admin token, once. The console keeps it for the tab, as if the admin had typed it.
 */
public final class SignInService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(SignInService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OneTimeSignIn signIn;
    private final RepeatedWarning refused = RepeatedWarning.every(Duration.ofMinutes(1), log);

    public SignInService(OneTimeSignIn signIn) {
        this.signIn = signIn;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.post("/api/signin", this::signIn);
    }

    private CompletableFuture<HttpResponse> signIn(HttpRequest request) {
        String code = null;
        try {
            JsonNode body = JSON.readTree(request.body());
            if (body != null && body.path("code").isTextual()) code = body.path("code").asText();
        } catch (IOException e) {
            // Refused below like a wrong code.
        }
        Optional<String> token = signIn.redeem(code);
        if (token.isEmpty()) {
            refused.warn("sign-in link refused: wrong or already used");
            return HttpResponse.error(401, "this sign-in link is wrong or was already used: sign in with the admin token")
                    .completed();
        }
        log.info("console signed in with the one-time link");
        return HttpResponse.json(200, Map.of("token", token.get())).withHeader("Cache-Control", "no-store").completed();
    }
}
