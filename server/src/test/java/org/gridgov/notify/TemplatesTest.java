package org.gridgov.notify;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The words a reporter reads: ticket number, lookup code where it opens something, the links. */
class TemplatesTest {

    private final Templates t = new Templates("网格治理", new Links("https://gov.example.cn/"));

    @Test
    void theReceivedSmsCarriesTicketCodeTrackingAndOptOut() {
        String s = t.sms(ReporterNotice.RECEIVED, 123, "ABCD2345").body();
        assertTrue(s.startsWith("【网格治理】您反映的问题已受理，工单号123，查询码ABCD2345。"), s);
        assertTrue(s.contains("https://gov.example.cn/#/track?ticket=123&code=ABCD2345"), s);
        assertTrue(
                s.endsWith("退订：https://gov.example.cn/api/v1/opt-out?ticket=123&code=ABCD2345"), s);
    }

    @Test
    void eachStepHasItsWordsAndTheClosedOneAsksForARating() {
        assertTrue(t.sms(ReporterNotice.DISPATCHED, 7, "C").body().contains("工单号7）已派发"));
        assertTrue(t.sms(ReporterNotice.RESOLVED, 7, "C").body().contains("已处置完毕"));
        String closed = t.sms(ReporterNotice.CLOSED, 7, "C").body();
        assertTrue(
                closed.contains(
                        "已办结，请对处理结果评价：https://gov.example.cn/#/track?ticket=7&code=C&rate=1"),
                closed);
        assertEquals("工单7：已办结，请评价", t.email(ReporterNotice.CLOSED, 7, "C").subject());
    }

    @Test
    void theEmailSaysTheSameWithASubject() {
        Templates.Text e = t.email(ReporterNotice.RECEIVED, 42, "Z9Z9Z9Z9");
        assertEquals("工单42：已受理", e.subject());
        assertTrue(e.body().contains("工单号：42\n查询码：Z9Z9Z9Z9"), e.body());
        assertTrue(e.body().contains("/api/v1/opt-out?ticket=42&code=Z9Z9Z9Z9"), e.body());
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReporterNotice.of("REJECTED"));
    }

    @Test
    void smsStaysWithinTwoParts() {
        // 2 x 67 characters for a concatenated UCS-2 SMS; links are long, the rest must be short
        for (ReporterNotice k : ReporterNotice.values()) {
            String s =
                    new Templates("网格治理", new Links("https://g.cn"))
                            .sms(k, 12345678, "ABCD2345")
                            .body();
            assertTrue(s.length() <= 3 * 67, k + ": " + s.length() + " " + s);
        }
    }
}
