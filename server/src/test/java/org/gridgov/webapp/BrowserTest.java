package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A machine without chromium gets told what to install, not a Selenium stack trace. */
@Tag("db")
@Tag("browser")
class BrowserTest {

    @Test
    void aMissingChromiumNamesTheAptPackages() {
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                Browser.requireInstalled(
                                        Path.of("/nonexistent/chromium"), Browser.CHROMEDRIVER));
        assertTrue(
                e.getMessage().contains("apt-get install chromium chromium-driver"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("/nonexistent/chromium is missing"), e.getMessage());
        assertDoesNotThrow(
                () -> Browser.requireInstalled(Browser.CHROMIUM, Browser.CHROMEDRIVER),
                "this machine has both");
    }
}
