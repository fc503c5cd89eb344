package org.gridgov.media;

import static org.junit.jupiter.api.Assertions.*;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import javax.imageio.ImageIO;
import org.gridgov.api.ProblemException;
import org.junit.jupiter.api.Test;

/** Type by content, EXIF kept for staff and gone from what the public gets, bad files refused. */
class PhotoCheckTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final PhotoCheck CHECK =
            new PhotoCheck(
                    new MediaSettings(Path.of("unused"), 1 << 20, 5, 30, 50_000_000L), SHANGHAI);

    static Photo inspect(byte[] bytes) {
        return CHECK.inspect("photo #1", "photo", "x.jpg", bytes);
    }

    static ProblemException refused(PhotoCheck check, byte[] bytes) {
        return assertThrows(
                ProblemException.class, () -> check.inspect("photo #1", "photo", "x", bytes));
    }

    @Test
    void typesAreKnownByTheirBytesNotTheirNames() {
        assertEquals(ImageType.JPEG, ImageType.sniff(TestImages.jpeg(8, 8)).orElseThrow());
        assertEquals(ImageType.PNG, ImageType.sniff(TestImages.png(8, 8)).orElseThrow());
        assertEquals(ImageType.WEBP, ImageType.sniff(TestImages.webp()).orElseThrow());
        assertTrue(ImageType.sniff("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII)).isEmpty());
        assertTrue(ImageType.sniff(new byte[] {(byte) 0xff, (byte) 0xd8}).isEmpty());
    }

    @Test
    void aJpegKeepsItsExifForStaffAndLosesItInPublic() throws Exception {
        byte[] original = TestImages.jpegWithExif(64, 32, 31.2304, 121.4737, 1);
        // the fixture is what a camera writes: metadata-extractor reads it
        Metadata md = ImageMetadataReader.readMetadata(new ByteArrayInputStream(original));
        assertNotNull(md.getFirstDirectoryOfType(GpsDirectory.class).getGeoLocation());

        Photo p = inspect(original);
        assertEquals(ImageType.JPEG, p.type());
        assertArrayEquals(original, p.original(), "the original is kept as sent");
        assertEquals(PhotoCheck.sha256(original), p.sha256());
        assertEquals(64, p.width());
        assertEquals(32, p.height());
        assertEquals(31.2304, p.lat(), 1e-4);
        assertEquals(121.4737, p.lon(), 1e-4);
        assertEquals(OffsetDateTime.parse("2026-12-01T09:30:00+08:00"), p.takenAt());

        for (byte[] shown : new byte[][] {p.publicBytes(), p.thumbnail()}) {
            Metadata pub = ImageMetadataReader.readMetadata(new ByteArrayInputStream(shown));
            assertNull(pub.getFirstDirectoryOfType(GpsDirectory.class), "no GPS in public");
            assertNull(pub.getFirstDirectoryOfType(ExifSubIFDDirectory.class), "no EXIF");
            assertFalse(
                    new String(shown, StandardCharsets.ISO_8859_1).contains("Exif"),
                    "no APP1 Exif segment at all");
            assertEquals(ImageType.JPEG, ImageType.sniff(shown).orElseThrow());
        }
        assertEquals(PhotoCheck.sha256(p.publicBytes()), p.publicSha256());
    }

    @Test
    void thePublicRenditionIsTurnedUprightAsTheCameraSaid() throws Exception {
        // orientation 6: the camera was turned; the viewer rotates 90° clockwise
        Photo p = inspect(TestImages.jpegWithExif(40, 20, 31.2, 121.4, 6));
        assertEquals(40, p.width(), "the original's own size");
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(p.publicBytes()));
        assertEquals(20, shown.getWidth());
        assertEquals(40, shown.getHeight());
        // the left half (red) is now on top
        int top = shown.getRGB(10, 5), bottom = shown.getRGB(10, 35);
        assertTrue(((top >> 16) & 0xff) > 200 && (top & 0xff) < 60, Integer.toHexString(top));
        assertTrue((bottom & 0xff) > 200, Integer.toHexString(bottom));
    }

    @Test
    void pngStaysPngWithItsTransparencyAndWebpIsRead() throws Exception {
        Photo png = inspect(TestImages.png(30, 20));
        assertEquals(ImageType.PNG, png.publicType());
        assertTrue(
                ImageIO.read(new ByteArrayInputStream(png.publicBytes()))
                        .getColorModel()
                        .hasAlpha());
        assertNull(png.lat(), "no EXIF, no position");

        Photo webp = inspect(TestImages.webp());
        assertEquals(ImageType.WEBP, webp.type());
        assertEquals(1, webp.width());
        assertEquals(ImageType.JPEG, webp.publicType(), "WebP is shown as JPEG (no WebP writer)");
    }

    @Test
    void largePhotosAreShrunkForThePublicAndTheThumbnail() throws Exception {
        Photo p = inspect(TestImages.jpeg(3000, 1000));
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(p.publicBytes()));
        assertEquals(PhotoCheck.PUBLIC_MAX_SIDE, shown.getWidth());
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(p.thumbnail()));
        assertEquals(PhotoCheck.THUMB_SIDE, thumb.getWidth());
        assertEquals(107, thumb.getHeight(), 1);
    }

    @Test
    void whatIsNotAnImageIsRefused() {
        ProblemException pdf =
                refused(CHECK, "%PDF-1.7\n%âãÏÓ\n1 0 obj".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, pdf.problem().status());
        assertTrue(pdf.problem().type().endsWith("/not-an-image"));
        assertEquals("photo", pdf.problem().field());
        // a text file named x.jpg
        assertEquals(
                415, refused(CHECK, "hello".getBytes(StandardCharsets.UTF_8)).problem().status());
        // HEIC: recognised, and refused with a hint
        byte[] heic = new byte[32];
        System.arraycopy(
                "\0\0\0\u0018ftypheic".getBytes(StandardCharsets.ISO_8859_1), 0, heic, 0, 12);
        ProblemException h = refused(CHECK, heic);
        assertEquals(415, h.problem().status());
        assertTrue(h.problem().detail().contains("HEIC"), h.problem().detail());
        // starts like a JPEG, is not one
        byte[] jpeg = TestImages.jpeg(64, 64);
        byte[] cut = java.util.Arrays.copyOf(jpeg, 40);
        assertEquals(422, refused(CHECK, cut).problem().status());
        assertEquals(422, refused(CHECK, new byte[0]).problem().status());
    }

    @Test
    void limitsOfSizeAndPixelsHold() {
        PhotoCheck tight =
                new PhotoCheck(new MediaSettings(Path.of("unused"), 2_000, 1, 1, 100), SHANGHAI);
        ProblemException big = refused(tight, TestImages.jpeg(400, 400));
        assertEquals(413, big.problem().status());
        ProblemException pixels = refused(tight, TestImages.png(11, 10));
        assertEquals(422, pixels.problem().status());
        assertTrue(pixels.problem().type().endsWith("/image-too-large"));
    }
}
