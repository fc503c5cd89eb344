package org.gridgov.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * E-mails a reporter over SMTP (Jakarta Mail). The message's {@code Message-ID} is the outbox row's
 * id, {@code <uuid@gridgov>}, so a mail sent twice (a crash after the server accepted it) is one
 * message to any mail system that de-duplicates by it. SMTP 5xx answers are permanent, the rest
 * (4xx, a broken connection) are tried again.
 */
public final class EmailChannel implements Sender {

    /**
     * @param starttls require STARTTLS before authenticating
     * @param user null: no authentication
     */
    public record Settings(
            String host,
            int port,
            String user,
            String password,
            boolean starttls,
            String from,
            Duration timeout) {}

    private final Settings settings;
    private final Session session;
    private final OutboxStore store;
    private final TicketCodes codes;
    private final Templates templates;

    public EmailChannel(
            Settings settings, OutboxStore store, TicketCodes codes, Templates templates) {
        this.settings = settings;
        this.store = store;
        this.codes = codes;
        this.templates = templates;
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", Integer.toString(settings.port()));
        String ms = Long.toString(settings.timeout().toMillis());
        p.put("mail.smtp.connectiontimeout", ms);
        p.put("mail.smtp.timeout", ms);
        p.put("mail.smtp.writetimeout", ms);
        p.put("mail.smtp.auth", Boolean.toString(settings.user() != null));
        if (settings.starttls()) p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.starttls.enable", Boolean.toString(settings.starttls()));
        this.session = Session.getInstance(p);
    }

    /** Message-ID of an outbox row. */
    static String messageId(Message m) {
        return "<" + m.messageId() + "@gridgov>";
    }

    @Override
    public Delivery send(Message m) {
        if (m.incidentId() == null) return new Delivery.Failed("an EMAIL row names no incident");
        Optional<OutboxStore.Reporter> r;
        try {
            r = store.reporter(m.incidentId());
        } catch (SQLException e) {
            return new Delivery.Retry("reading the reporter: " + e.getMessage());
        }
        if (r.isEmpty() || r.get().email() == null)
            return new Delivery.Failed("the reporter has no e-mail (erased or never given)");
        Templates.Text text;
        try {
            text =
                    templates.email(
                            ReporterNotice.of(m.kind()), m.incidentId(), codes.of(m.incidentId()));
        } catch (IllegalArgumentException e) {
            return new Delivery.Failed(e.getMessage());
        }
        try {
            MimeMessage mail =
                    new MimeMessage(session) {
                        @Override
                        protected void updateMessageID() throws MessagingException {
                            setHeader("Message-ID", messageId(m));
                        }
                    };
            mail.setFrom(new InternetAddress(settings.from(), true));
            mail.setRecipient(
                    jakarta.mail.Message.RecipientType.TO,
                    new InternetAddress(r.get().email(), true));
            mail.setSubject(text.subject(), "UTF-8");
            mail.setText(text.body(), "UTF-8");
            mail.setHeader("Auto-Submitted", "auto-generated");
            if (settings.user() != null) Transport.send(mail, settings.user(), settings.password());
            else Transport.send(mail);
            return Delivery.ACCEPTED;
        } catch (AddressException e) {
            return new Delivery.Failed("not an address: " + e.getMessage());
        } catch (SMTPSendFailedException e) {
            return e.getReturnCode() >= 500
                    ? new Delivery.Failed("SMTP " + e.getReturnCode() + ": " + e.getMessage())
                    : new Delivery.Retry("SMTP " + e.getReturnCode() + ": " + e.getMessage());
        } catch (SendFailedException e) {
            return e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0
                    ? new Delivery.Failed("refused address: " + e.getMessage())
                    : new Delivery.Retry(e.toString());
        } catch (MessagingException e) {
            return new Delivery.Retry(e.toString());
        }
    }
}
