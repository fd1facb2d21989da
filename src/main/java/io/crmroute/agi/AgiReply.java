package io.crmroute.agi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One reply, parsed once: {@code 200 result=1234 (timeout)} is status SUCCESS, result {@code 1234},
 * data {@code timeout}; {@code 200 result=0 endpos=8000} has attribute {@code endpos}. {@code result}
 * is kept as text (GET DATA's digits keep leading zeros and may be empty). {@code usage} holds the
 * lines of a multi-line 520 reply.
 */
public record AgiReply(AgiStatus status, String result, Optional<String> data, Map<String, String> attributes, List<String> usage)
        implements AgiMessage {

    public AgiReply {
        data = data == null ? Optional.empty() : data;
        attributes = Map.copyOf(attributes);
        usage = List.copyOf(usage);
    }
}
