package io.moxing.privacy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The kinds of personal data the redactor replaces, each with the placeholder it leaves. Both IP
 * versions leave {@code [IP]}: a reader needs to know an address was there, not which version. In JSON
 * (a manifest's counts) a kind is written as its {@link #key()}, like every other name Moxing writes.
 */
public enum PiiKind {
    @JsonProperty("email") EMAIL("[EMAIL]"),
    @JsonProperty("phone") PHONE("[PHONE]"),
    @JsonProperty("cn_resident_id") CN_RESIDENT_ID("[ID]"),
    @JsonProperty("bank_card") BANK_CARD("[CARD]"),
    @JsonProperty("iban") IBAN("[ACCOUNT]"),
    @JsonProperty("us_ssn") US_SSN("[ID]"),
    @JsonProperty("ipv4") IPV4("[IP]"),
    @JsonProperty("ipv6") IPV6("[IP]");

    private final String placeholder;

    PiiKind(String placeholder) {
        this.placeholder = placeholder;
    }

    public String placeholder() {
        return placeholder;
    }

    /** The kind's name in reports and in JSON ({@code email}, {@code cn_resident_id}, ...). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
