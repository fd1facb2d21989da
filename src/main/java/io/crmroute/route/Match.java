package io.crmroute.route;

import io.crmroute.crm.PhoneMatching;
import java.util.Objects;
import java.util.Optional;

/**
 * Which CRM field the call's value is matched against, where the value comes from, and how phone
 * numbers are matched (the CRM's {@code phone:} setting applies when the route sets none).
 */
public record Match(String field, MatchSource from, Optional<PhoneMatching> phone) {

    public Match {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(from, "from");
        phone = phone == null ? Optional.empty() : phone;
    }
}
