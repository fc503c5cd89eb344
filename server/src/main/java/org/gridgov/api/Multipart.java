package org.gridgov.api;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * multipart/form-data bodies with files (photos) on the paths {@link ApiRouter} holds for it: read
 * after the route's earlier handlers judged the caller, into memory, counted as they come — a file
 * past its limit (413) or one file too many (422) is refused at once, without reading the rest (the
 * connection is then closed, as for a refused import). Text parts become form fields (and, like
 * Vert.x's body handler does, request parameters); a part with a file name but not named as a file
 * field is read as text too (curl's {@code -F report=@report.json}).
 */
public final class Multipart {

    /** The routing context key of the {@link Form} read. */
    private static final String FORM = "gridgov.multipart";

    /**
     * What a form may hold: the names of its file fields, the size of one file and their number,
     * and the size of each text part.
     */
    public record Limits(
            Set<String> fileFields, long maxFileBytes, int maxFiles, int maxTextBytes) {}

    /** One file as sent: its field, file name and declared type (both only as the client says). */
    public record FilePart(String field, String fileName, String declaredType, byte[] bytes) {}

    /** A form read whole: its text fields and its files, in the order sent. */
    public record Form(MultiMap fields, List<FilePart> files) {
        /** One text field, or null; given twice is refused. */
        public String field(String name) {
            List<String> all = fields.getAll(name);
            if (all.isEmpty()) return null;
            if (all.size() > 1)
                throw new ProblemException(
                        Problem.of(
                                422,
                                "invalid-field",
                                "A field of the request is invalid",
                                "the form part '" + name + "' is given " + all.size() + " times",
                                name));
            return all.get(0);
        }
    }

    private Multipart() {}

    /** Whether the request says it is multipart/form-data. */
    public static boolean is(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase().startsWith("multipart/form-data");
    }

    /** The form a {@link #reader} read for this request, or null (not multipart). */
    public static Form form(RoutingContext ctx) {
        return ctx.get(FORM);
    }

    /**
     * A route handler: reads a multipart body under these limits, then passes on; any other body
     * was read by the router's body handler and is passed on untouched.
     */
    public static Handler<RoutingContext> reader(Limits limits) {
        return ctx -> {
            if (!is(ctx) || !ApiRouter.holdsMultipart(ctx.request())) {
                ctx.next();
                return;
            }
            read(ctx, limits);
        };
    }

    private static void read(RoutingContext ctx, Limits limits) {
        HttpServerRequest req = ctx.request();
        // one slot per file part, in the order sent, filled when the part ends
        List<FilePart[]> files = new ArrayList<>();
        int[] pending = {0};
        boolean[] state = {false, false}; // failed, request ended
        Handler<Throwable> fail =
                e -> {
                    if (state[0]) return;
                    state[0] = true;
                    if (!ctx.response().ended() && !ctx.response().closed()) ctx.fail(e);
                };
        Runnable done =
                () -> {
                    if (state[0] || !state[1] || pending[0] > 0) return;
                    MultiMap fields = req.formAttributes();
                    for (String name : fields.names()) {
                        for (String v : fields.getAll(name)) {
                            if (v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                                    > limits.maxTextBytes()) {
                                fail.handle(tooLarge(name, limits.maxTextBytes()));
                                return;
                            }
                        }
                    }
                    // as Vert.x's body handler does: form fields are request parameters too
                    req.params().addAll(fields);
                    ctx.put(FORM, new Form(fields, files.stream().map(f -> f[0]).toList()));
                    ctx.next();
                };
        req.setExpectMultipart(true);
        req.uploadHandler(
                upload -> {
                    if (state[0]) return;
                    boolean file = limits.fileFields().contains(upload.name());
                    if (file && files.size() >= limits.maxFiles()) {
                        fail.handle(tooMany(upload.name(), limits.maxFiles()));
                        return;
                    }
                    FilePart[] slot = new FilePart[1];
                    if (file) files.add(slot);
                    pending[0]++;
                    Buffer buf = Buffer.buffer();
                    collect(
                            upload,
                            buf,
                            file ? limits.maxFileBytes() : limits.maxTextBytes(),
                            fail,
                            () -> {
                                pending[0]--;
                                if (file)
                                    slot[0] =
                                            new FilePart(
                                                    upload.name(),
                                                    upload.filename(),
                                                    upload.contentType(),
                                                    buf.getBytes());
                                else req.formAttributes().add(upload.name(), buf.toString());
                                done.run();
                            });
                });
        req.exceptionHandler(
                e ->
                        fail.handle(
                                new ProblemException(
                                        Problem.of(
                                                400,
                                                "bad-request",
                                                "Bad request",
                                                "the multipart body could not be read: "
                                                        + e.getMessage(),
                                                null))));
        req.endHandler(
                v -> {
                    state[1] = true;
                    done.run();
                });
        req.resume();
    }

    private static void collect(
            HttpServerFileUpload upload,
            Buffer buf,
            long max,
            Handler<Throwable> fail,
            Runnable ended) {
        boolean[] over = {false};
        upload.exceptionHandler(fail);
        upload.handler(
                chunk -> {
                    if (over[0]) return;
                    if (buf.length() + (long) chunk.length() > max) {
                        over[0] = true;
                        fail.handle(tooLarge(upload.name(), max));
                        return;
                    }
                    buf.appendBuffer(chunk);
                });
        upload.endHandler(
                v -> {
                    if (!over[0]) ended.run();
                });
    }

    /** 413: one part of the form is larger than allowed. */
    public static ProblemException tooLarge(String field, long max) {
        return new ProblemException(
                Problem.of(
                        413,
                        "file-too-large",
                        "A part of the form is too large",
                        "the part '" + field + "' is larger than " + max + " bytes",
                        field));
    }

    /** 422: more files than allowed in one request. */
    public static ProblemException tooMany(String field, int max) {
        return new ProblemException(
                Problem.of(
                        422,
                        "too-many-files",
                        "Too many files",
                        "at most " + max + " files ('" + field + "') in one request",
                        field));
    }
}
