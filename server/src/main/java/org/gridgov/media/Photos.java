package org.gridgov.media;

import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gridgov.api.Multipart;

/**
 * Checking and storing photo files, the part every door shares (intake, Open311, photos on a case):
 * every file is checked before any is written, so a bad one leaves nothing behind; the files are
 * written (original, public rendition, thumbnail) before the transaction that cites them.
 */
public final class Photos {

    /**
     * Photos decoded at once, across requests: a decoded photo takes 4 bytes a pixel (up to 200 MB
     * at the default 50 megapixels), so memory stays bounded however many upload together.
     */
    static final int DECODING_AT_ONCE = 2;

    private final MediaSettings settings;
    private final PhotoCheck check;
    private final MediaStore files;
    private final java.util.concurrent.Semaphore decoding =
            new java.util.concurrent.Semaphore(DECODING_AT_ONCE, true);

    public Photos(MediaSettings settings, MediaStore files, ZoneId zone) {
        this.settings = settings;
        this.files = files;
        this.check = new PhotoCheck(settings, zone);
    }

    public MediaSettings settings() {
        return settings;
    }

    public MediaStore files() {
        return files;
    }

    /** The limits of a form whose photos come in the part {@code field}; text parts to 64 KiB. */
    public Multipart.Limits limits(String field) {
        return new Multipart.Limits(
                Set.of(field), settings.maxBytes(), settings.maxPerRequest(), 64 * 1024);
    }

    /** Checks every file; 4xx naming the first bad one. Stores nothing. */
    public List<Photo> check(List<Multipart.FilePart> parts) {
        if (parts.size() > settings.maxPerRequest())
            throw Multipart.tooMany(parts.get(0).field(), settings.maxPerRequest());
        List<Photo> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Multipart.FilePart f = parts.get(i);
            String name = f.fileName() == null || f.fileName().isBlank() ? null : f.fileName();
            String part =
                    f.field()
                            + " #"
                            + (i + 1)
                            + (name == null ? "" : " ('" + name.replace("'", "") + "')");
            try {
                decoding.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to decode a photo", e);
            }
            try {
                out.add(check.inspect(part, f.field(), trim(name), f.bytes()));
            } finally {
                decoding.release();
            }
        }
        return out;
    }

    /** Writes the files of checked photos (content-addressed: a retry writes nothing new). */
    public void store(List<Photo> photos) throws IOException {
        for (Photo p : photos) {
            files.put(p.original());
            files.put(p.publicBytes());
            files.put(p.thumbnail());
        }
    }

    private static String trim(String name) {
        if (name == null) return null;
        return name.length() > 200 ? name.substring(0, 200) : name;
    }
}
