package io.crmroute.route;

import java.time.Duration;

/** Digits to collect before the lookup: play {@code prompt}, read up to {@code maxDigits}. */
public record DtmfPrompt(String prompt, int maxDigits, Duration timeout) {}
