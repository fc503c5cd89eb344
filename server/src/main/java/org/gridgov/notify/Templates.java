package org.gridgov.notify;

/**
 * The words of the messages to a reporter, rendered when they are sent (so the lookup code and the
 * links are never stored). Chinese, as the reporters read them; each carries the ticket number and
 * the way to opt out. An SMS is kept short (one or two parts); the e-mail says the same with a
 * subject.
 */
public final class Templates {

    /** A rendered message. */
    public record Text(String subject, String body) {}

    /** The signature an SMS starts with, as Chinese SMS gateways require (【…】). */
    private final String sign;

    private final Links links;

    public Templates(String sign, Links links) {
        this.sign = sign;
        this.links = links;
    }

    public Text sms(ReporterNotice kind, long ticket, String code) {
        String what = what(kind, ticket, code);
        return new Text(
                subject(kind, ticket),
                "【" + sign + "】" + what + " 退订：" + links.optOut(ticket, code));
    }

    public Text email(ReporterNotice kind, long ticket, String code) {
        String body =
                "您好：\n\n"
                        + what(kind, ticket, code)
                        + "\n\n工单号："
                        + ticket
                        + "\n查询码："
                        + code
                        + "\n查询进度："
                        + links.track(ticket, code)
                        + "\n\n如不希望再收到本工单的通知，请访问："
                        + links.optOut(ticket, code)
                        + "\n\n"
                        + sign
                        + "\n（本邮件由系统自动发送，请勿直接回复）\n";
        return new Text(subject(kind, ticket), body);
    }

    private String what(ReporterNotice kind, long ticket, String code) {
        return switch (kind) {
            case RECEIVED ->
                    "您反映的问题已受理，工单号" + ticket + "，查询码" + code + "。查询进度：" + links.track(ticket, code);
            case DISPATCHED -> "您反映的问题（工单号" + ticket + "）已派发处置人员办理。";
            case RESOLVED -> "您反映的问题（工单号" + ticket + "）已处置完毕，待核查结案。";
            case CLOSED -> "您反映的问题（工单号" + ticket + "）已办结，请对处理结果评价：" + links.rate(ticket, code);
        };
    }

    private static String subject(ReporterNotice kind, long ticket) {
        return "工单" + ticket + "：" + kind.state;
    }
}
