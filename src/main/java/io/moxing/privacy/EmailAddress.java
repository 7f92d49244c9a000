package io.moxing.privacy;

/**
 * The practical shape of an address: a local part of up to 64 ASCII characters, a domain of labels
 * and a top-level domain of at least two letters. Only ASCII is allowed on either side, so an address
 * written into Chinese text without spaces ({@code 联系我zhang.san@example.com谢谢}) stops at the
 * Chinese characters. The local part must start where a run of its characters starts: otherwise every
 * position of a long run would be tried as a start, and a megabyte without an {@code @} would cost
 * quadratic time.
 */
final class EmailAddress {
    static final Detector DETECTOR = Detector.of(PiiKind.EMAIL,
            "(?=[A-Za-z0-9._%+-])(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,8}"
                    + "\\.[A-Za-z]{2,63}(?![A-Za-z0-9-])");

    private EmailAddress() {}
}
