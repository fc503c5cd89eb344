package org.gridgov.media;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.TimeZone;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import net.coobird.thumbnailator.Thumbnails;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * Checks one uploaded file and prepares what is stored of it (docs/media.md): its type from its
 * first bytes (JPEG, PNG, WebP), its size, its pixel count (read from the header before decoding,
 * so a small file declaring a vast image is refused unread), a full decode (a file that only starts
 * like an image is refused), the EXIF time and position kept for staff (metadata-extractor), and
 * the public rendition and thumbnail re-encoded from the pixels alone (Thumbnailator over ImageIO),
 * so no metadata of the original reaches the public. Pure: it stores nothing.
 */
public final class PhotoCheck {

    /** The longest side of a public rendition, in pixels. */
    public static final int PUBLIC_MAX_SIDE = 2048;

    /** The longest side of a thumbnail, in pixels. */
    public static final int THUMB_SIDE = 320;

    static {
        // TwelveMonkeys' readers (WebP, CMYK JPEG) register through ImageIO's service lookup
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    private final MediaSettings settings;
    private final ZoneId zone;

    /**
     * @param zone the zone EXIF times (which carry none, unless the camera wrote an offset) are in
     */
    public PhotoCheck(MediaSettings settings, ZoneId zone) {
        this.settings = settings;
        this.zone = zone;
    }

    /**
     * @param part how the answer names the file, e.g. "photo #2 ('x.jpg')"
     * @param field the form part, the problem's field
     */
    public Photo inspect(String part, String field, String fileName, byte[] bytes) {
        if (bytes.length == 0)
            throw problem(422, "empty-file", "An empty file", part + " is empty", field);
        if (bytes.length > settings.maxBytes())
            throw new ProblemException(
                    Problem.of(
                            413,
                            "file-too-large",
                            "A part of the form is too large",
                            part + " is larger than " + settings.maxBytes() + " bytes",
                            field));
        if (ImageType.isHeif(bytes))
            throw problem(
                    415,
                    "unsupported-image-type",
                    "This image type is not taken",
                    part
                            + " is HEIC/HEIF, which the server cannot read; send JPEG, PNG or WebP"
                            + " (on an iPhone: Settings > Camera > Formats > Most Compatible)",
                    field);
        ImageType type =
                ImageType.sniff(bytes)
                        .orElseThrow(
                                () ->
                                        problem(
                                                415,
                                                "not-an-image",
                                                "The file is not an image",
                                                part
                                                        + " is not a JPEG, PNG or WebP image (by"
                                                        + " its content, whatever its name or"
                                                        + " declared type)",
                                                field));
        BufferedImage decoded = decode(type, bytes, part, field);
        Exif exif = exif(bytes);
        BufferedImage upright = exif.orientation == 1 ? decoded : orient(decoded, exif.orientation);
        ImageType publicType = type == ImageType.PNG ? ImageType.PNG : ImageType.JPEG;
        byte[] publicBytes = encode(fit(upright, PUBLIC_MAX_SIDE), publicType, 0.9f);
        byte[] thumb = encode(fit(upright, THUMB_SIDE), ImageType.JPEG, 0.8f);
        return new Photo(
                fileName,
                type,
                bytes,
                sha256(bytes),
                decoded.getWidth(),
                decoded.getHeight(),
                exif.takenAt,
                exif.lon,
                exif.lat,
                publicType,
                publicBytes,
                sha256(publicBytes),
                thumb,
                sha256(thumb));
    }

    private BufferedImage decode(ImageType type, byte[] bytes, String part, String field) {
        try (ImageInputStream in =
                ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.mime);
            if (!readers.hasNext())
                throw new IllegalStateException("no ImageIO reader for " + type);
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > settings.maxPixels())
                    throw problem(
                            422,
                            "image-too-large",
                            "The image has too many pixels",
                            part
                                    + " is "
                                    + reader.getWidth(0)
                                    + " × "
                                    + reader.getHeight(0)
                                    + " pixels; at most "
                                    + settings.maxPixels()
                                    + " are taken",
                            field);
                BufferedImage img = reader.read(0);
                if (img == null) throw new IOException("no image");
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException p) throw p;
            if (e instanceof IllegalStateException s && s.getMessage().startsWith("no ImageIO"))
                throw s;
            throw problem(
                    422,
                    "unreadable-image",
                    "The image cannot be read",
                    part + " starts like a " + type + " image but cannot be decoded",
                    field);
        }
    }

    /** What the camera wrote: when, where, and which way up. */
    private record Exif(OffsetDateTime takenAt, Double lon, Double lat, int orientation) {}

    private Exif exif(byte[] bytes) {
        Metadata md;
        try {
            md = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            return new Exif(null, null, null, 1); // no readable metadata: none kept
        }
        OffsetDateTime taken = null;
        ExifSubIFDDirectory sub = md.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        if (sub != null) {
            Date d = sub.getDateOriginal(TimeZone.getTimeZone(zone));
            if (d != null) taken = d.toInstant().atZone(zone).toOffsetDateTime();
        }
        Double lon = null, lat = null;
        GpsDirectory gps = md.getFirstDirectoryOfType(GpsDirectory.class);
        GeoLocation loc = gps == null ? null : gps.getGeoLocation();
        if (loc != null
                && !loc.isZero()
                && Math.abs(loc.getLatitude()) <= 90
                && Math.abs(loc.getLongitude()) <= 180) {
            lon = loc.getLongitude();
            lat = loc.getLatitude();
        }
        int orientation = 1;
        ExifIFD0Directory ifd0 = md.getFirstDirectoryOfType(ExifIFD0Directory.class);
        if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
            try {
                orientation = ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
            } catch (MetadataException e) {
                orientation = 1;
            }
        }
        return new Exif(taken, lon, lat, orientation < 1 || orientation > 8 ? 1 : orientation);
    }

    /** The image as the EXIF orientation (2–8) says it is to be viewed. */
    static BufferedImage orient(BufferedImage src, int orientation) {
        int w = src.getWidth(), h = src.getHeight();
        boolean swap = orientation >= 5;
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> t.scale(-1, 1);
            case 3 -> t.rotate(Math.PI);
            case 4 -> t.scale(1, -1);
            case 5 -> {
                t.rotate(Math.PI / 2);
                t.scale(1, -1);
            }
            case 6 -> t.rotate(Math.PI / 2);
            case 7 -> {
                t.rotate(-Math.PI / 2);
                t.scale(1, -1);
            }
            case 8 -> t.rotate(-Math.PI / 2);
            default -> {
                return src;
            }
        }
        // move the turned image back into the positive quadrant
        java.awt.geom.Rectangle2D box =
                t.createTransformedShape(new java.awt.Rectangle(0, 0, w, h)).getBounds2D();
        AffineTransform shift = AffineTransform.getTranslateInstance(-box.getX(), -box.getY());
        shift.concatenate(t);
        BufferedImage out =
                new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, shift, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** At most {@code side} pixels on its longest side; never enlarged. */
    private static BufferedImage fit(BufferedImage img, int side) {
        int longest = Math.max(img.getWidth(), img.getHeight());
        if (longest <= side) return img;
        try {
            return Thumbnails.of(img).scale((double) side / longest).asBufferedImage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pixels only, through ImageIO's writers: a JPEG gets a bare JFIF header, a PNG no text or EXIF
     * chunk. JPEG has no alpha: transparent pixels go white.
     */
    static byte[] encode(BufferedImage img, ImageType type, float quality) {
        boolean jpeg = type == ImageType.JPEG;
        BufferedImage plain =
                new BufferedImage(
                        img.getWidth(),
                        img.getHeight(),
                        jpeg || !img.getColorModel().hasAlpha()
                                ? BufferedImage.TYPE_INT_RGB
                                : BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = plain.createGraphics();
        try {
            if (jpeg) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, img.getWidth(), img.getHeight());
            }
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName(jpeg ? "jpeg" : "png").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            if (jpeg) {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(plain, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException problem(
            int status, String slug, String title, String detail, String field) {
        return new ProblemException(Problem.of(status, slug, title, detail, field));
    }
}
