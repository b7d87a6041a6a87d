package dev.verigen.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, installed by {@code ./verigen test}),
 * driven by Selenium without Selenium Manager (nothing is downloaded). Screenshots go to
 * {@code e2e-tests/target/dashboard-screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("verigen.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("verigen.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path screenshots;

    Browser(Path root) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the dashboard's browser tests need " + CHROMIUM + " and " + DRIVER
                    + ": apt-get install -y chromium chromium-driver (./verigen test installs them)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        screenshots = root.resolve("e2e-tests/target/dashboard-screenshots");
        try {
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    /** Saves a PNG of the current page as {@code name}.png and returns its path. */
    Path screenshot(String name) {
        try {
            Path file = screenshots.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
