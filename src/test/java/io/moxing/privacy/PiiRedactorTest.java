package io.moxing.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
    private final PiiRedactor redactor = new PiiRedactor(LocalDate.of(2026, 11, 29));

    /** Redacts {@code text} and checks the result and that exactly these kinds were counted. */
    private void assertRedacts(String text, String expected, Object... kindsAndCounts) {
        Redacted r = redactor.redact(text);
        assertEquals(expected, r.text(), text);
        Map<PiiKind, Integer> counts = new EnumMap<>(PiiKind.class);
        for (PiiKind kind : PiiKind.values()) counts.put(kind, 0);
        for (int i = 0; i < kindsAndCounts.length; i += 2) counts.put((PiiKind) kindsAndCounts[i], (Integer) kindsAndCounts[i + 1]);
        assertEquals(counts, r.counts(), text);
    }

    private void assertUntouched(String text) {
        assertRedacts(text, text);
    }

    /** ISO 7064 MOD 11-2 from its definition, (12 - sum mod 11) mod 11 with 10 written X, not from the code's table. */
    private static String withCheckCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) sum += (first17.charAt(i) - '0') * ((1 << (17 - i)) % 11);
        int check = (12 - sum % 11) % 11;
        return first17 + (check == 10 ? "X" : Integer.toString(check));
    }

    @Test
    void eMailAddressesAlsoInsideChineseTextWithoutSpaces() {
        assertRedacts("联系我zhang.san@example.com谢谢", "联系我[EMAIL]谢谢", PiiKind.EMAIL, 1);
        assertRedacts("mail Li.Si+news@mail.example.com.cn, or 13800138000@qq.com.", "mail [EMAIL], or [EMAIL].",
                PiiKind.EMAIL, 2);
        assertUntouched("user@localhost and @handle and a@b.c and 价格@10元");
    }

    @Test
    void fullWidthFormsAreReadAsTheirAsciiTwins() {
        assertRedacts("联系我ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ谢谢", "联系我[EMAIL]谢谢", PiiKind.EMAIL, 1);
        assertRedacts("电话：１３８００１３８０００。", "电话：[PHONE]。", PiiKind.PHONE, 1);
        assertRedacts("＋８６　１３８ ００１３ ８０００", "[PHONE]", PiiKind.PHONE, 1);
        assertRedacts("卡号４１１１１１１１１１１１１１１１", "卡号[CARD]", PiiKind.BANK_CARD, 1);
        assertUntouched("全角的数字１２３和ｅｘａｍｐｌｅ．ｃｏｍ");
    }

    @Test
    void onlyResidentIdsWithTheRightCheckCharacterAndARealBirthDateAreIds() {
        String valid = withCheckCharacter("11010519491231002");
        assertEquals("11010519491231002X", valid);
        assertRedacts("身份证号" + valid + "，请核对", "身份证号[ID]，请核对", PiiKind.CN_RESIDENT_ID, 1);
        assertRedacts("id 11010519491231002x.", "id [ID].", PiiKind.CN_RESIDENT_ID, 1);
        String other = withCheckCharacter("44030419900307123");
        assertRedacts(other, "[ID]", PiiKind.CN_RESIDENT_ID, 1);

        assertUntouched("110105194912310021");            // wrong check character (and not a card: starts with 1)
        assertUntouched("11010519491231002Y");
        assertUntouched(withCheckCharacter("11010519491331002"));   // month 13
        assertUntouched(withCheckCharacter("11010518991231002"));   // born 1899
        assertUntouched(withCheckCharacter("11010520271231002"));   // born after today
        assertUntouched("A" + valid);                      // inside a longer token
        assertUntouched("9" + valid);
    }

    @Test
    void anEighteenDigitNumberThatIsNoIdIsStillACardWhenLuhnSaysSo() {
        assertTrue(BankCard.luhn("440304199003071231"), "the example must pass Luhn");
        assertRedacts("440304199003071231", "[CARD]", PiiKind.BANK_CARD, 1);   // ID-shaped, wrong check character
        assertUntouched("440304199003071234");                                  // neither
    }

    @Test
    void bankCardsPassLuhnInOneRunOrInGroups() {
        assertRedacts("card 4111 1111 1111 1111 ok", "card [CARD] ok", PiiKind.BANK_CARD, 1);
        assertRedacts("4111-1111-1111-1111", "[CARD]", PiiKind.BANK_CARD, 1);
        assertRedacts("卡号6222021234567890128。", "卡号[CARD]。", PiiKind.BANK_CARD, 1);
        assertRedacts("6222 0212 3456 7890 128", "[CARD]", PiiKind.BANK_CARD, 1);
        assertRedacts("amex 3782 822463 10005", "amex [CARD]", PiiKind.BANK_CARD, 1);

        assertUntouched("4111 1111 1111 1112");            // fails Luhn
        assertUntouched("6222021234567890129");
        assertUntouched("order 14111111111111111");        // 17 digits, Luhn-valid, but no card starts with 1
        assertUntouched("94111111111111111");              // 4111... inside a longer run
        assertUntouched("x4111111111111111");
        assertUntouched("4111 1111-1111 1111");            // mixed separators
        assertUntouched("1111 4111 1111 1111 1111");       // carved out of a longer grouping
    }

    @Test
    void ibansUsSocialSecurityNumbersAndNumbersDialledWithTheirPrefix() {
        // the forms a hostile test's feedback comment carried, which went through unredacted
        assertRedacts("SSN 123-45-6789, IBAN DE89370400440532013000, (415)555-0199, 0044 20 7946 0958",
                "SSN [ID], IBAN [ACCOUNT], [PHONE], [PHONE]", PiiKind.US_SSN, 1, PiiKind.IBAN, 1, PiiKind.PHONE, 2);
        assertRedacts("pay to GB82 WEST 1234 5698 7654 32 today", "pay to [ACCOUNT] today", PiiKind.IBAN, 1);
        assertRedacts("call (212) 555-0147", "call [PHONE]", PiiKind.PHONE, 1);

        assertUntouched("DE89370400440532013001");       // the check digits do not hold
        assertUntouched("ISO 12345678901234");           // no account: the check does not hold
        assertUntouched("000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000"); // never issued
        assertUntouched("on 2026-11-29, order 123-456-7890-1");
        assertUntouched("(415) 5550199 and (115) 555-0199");
    }

    @Test
    void mainlandMobilesAndInternationalNumbers() {
        assertRedacts("电话13800138000", "电话[PHONE]", PiiKind.PHONE, 1);
        assertRedacts("call +86 138-0013-8000 now", "call [PHONE] now", PiiKind.PHONE, 1);
        assertRedacts("0086 13800138000; 86-138 0013 8000; 138 0013 8000", "[PHONE]; [PHONE]; [PHONE]", PiiKind.PHONE, 3);
        assertRedacts("US: +1 (415) 555-2671.", "US: [PHONE].", PiiKind.PHONE, 1);
        assertRedacts("+44 20 7946 0958 or +8613800138000", "[PHONE] or [PHONE]", PiiKind.PHONE, 2);

        assertUntouched("in 2026 it cost 1380 yuan, +15%, room 5552671, +100");
        assertUntouched("12800138000 and 138001380001 and 2013800138000");  // no 12x mobiles; longer runs
        assertUntouched("+1 555 12");                       // 6 digits
        assertUntouched("+1234 5678 9012 3456 7890");      // 20 digits
        assertUntouched("138 0013 8000 1234");              // part of a longer grouping
    }

    @Test
    void ipv4NeedsExactlyFourOctetsOfAtMost255() {
        assertRedacts("from 192.168.1.20:8080.", "from [IP]:8080.", PiiKind.IPV4, 1);
        assertRedacts("服务器10.0.0.1宕机", "服务器[IP]宕机", PiiKind.IPV4, 1);
        assertUntouched("256.1.1.1");
        assertUntouched("1.2.3.4.5");
        assertUntouched("PyTorch 2.7.1 and v1.2.3.4 and 3.14");
    }

    @Test
    void ipv6FullCompressedAndIpv4Mapped() {
        assertRedacts("2001:db8::1 and [fe80::1ff:fe23:4567:890a]:443", "[IP] and [[IP]]:443", PiiKind.IPV6, 2);
        assertRedacts("::ffff:192.0.2.128", "[IP]", PiiKind.IPV6, 1);
        assertRedacts("IPv6:2001:0db8:85a3:0000:0000:8a2e:0370:7334.", "IPv6:[IP].", PiiKind.IPV6, 1);
        assertRedacts("host 2001:db8::1: refused", "host [IP]: refused", PiiKind.IPV6, 1);
        assertRedacts("src:2001:db8::1 dst:fe80::1", "src:[IP] dst:[IP]", PiiKind.IPV6, 2);

        assertUntouched("at 12:30:45 and 12:30");
        assertUntouched(":: and ::1 and a::b and std::vector");
        assertUntouched("1:2:3:4:5:6:7");                    // seven groups, no ::
        assertUntouched("2001:db8::1::2");                   // two ::
        assertUntouched("2001:db8::12345");                  // a group of five digits
        assertUntouched("00:1A:2B:3C:4D:5E");                // a MAC address
    }

    @Test
    void everyKindInOneTextCountedOnceAndPlaceholdersLeftAlone() {
        String text = "张三 zhang.san@example.com 13800138000 " + withCheckCharacter("11010519491231002")
                + " 4111111111111111 DE89370400440532013000 SSN 123-45-6789 at 192.168.1.20 2001:db8::1 [EMAIL] [IP]";
        Redacted r = redactor.redact(text);
        assertEquals("张三 [EMAIL] [PHONE] [ID] [CARD] [ACCOUNT] SSN [ID] at [IP] [IP] [EMAIL] [IP]", r.text());
        assertEquals(8, r.total());
        for (PiiKind kind : PiiKind.values()) assertEquals(1, r.count(kind), kind.key());
        assertEquals(r.text(), redactor.redact(r.text()).text(), "redacting twice changes nothing");
        assertThrows(UnsupportedOperationException.class, () -> r.counts().put(PiiKind.EMAIL, 0));
    }

    @Test
    void aTallyAddsCountsOverTexts() {
        RedactionTally tally = new RedactionTally();
        tally.add(redactor.redact("a@example.com b@example.org"));
        tally.add(redactor.redact("13800138000 and c@example.net"));
        tally.add(redactor.redact("nothing here"));
        assertEquals(3, tally.counts().get(PiiKind.EMAIL));
        assertEquals(1, tally.counts().get(PiiKind.PHONE));
        assertEquals("email 3, phone 1, cn_resident_id 0, bank_card 0, iban 0, us_ssn 0, ipv4 0, ipv6 0",
                RedactionTally.describe(tally.counts()));
    }

    @Test
    void aMegabyteOfAdversarialTextTakesUnderTwoSeconds() {
        String[] units = {"1.2.", "a@", "1:", "+1 ", "4111 ", "a.", "9", "1-", "中"};
        redactor.redact("warm-up 13800138000 a@example.com 1.2.3.4 2001:db8::1");
        for (String unit : units) {
            String text = unit.repeat((1 << 20) / unit.length());
            // this thread's CPU time, not the wall clock: other processes on a shared machine slow the second only
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            Redacted r = redactor.redact(text);
            long millis = (threads.getCurrentThreadCpuTime() - start) / 1_000_000;
            // eleven detectors scan the megabyte: 0.3-0.7 s each here on a quiet machine, 1.0 s once under the whole
            // suite's load; one that backtracked super-linearly would take minutes
            assertTrue(millis < 2000, "'" + unit + "' repeated to 1 MB took " + millis + " ms of CPU");
            assertEquals(0, r.total(), "nothing in '" + unit + "' repeated is personal data");
        }
    }
}
