package io.github.resquepool.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A headless Chromium driven through Debian's ChromeDriver, both named explicitly so that
 * Selenium downloads nothing, with flags that keep Chromium off the network. It sends
 * HTTP Basic credentials with every request and records CSP violations.
 */
final class Browser implements AutoCloseable {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final ChromeDriver driver;

	private final Path profile;

	Browser(String username, String password) throws IOException {
		this.profile = Files.createTempDirectory("resque-web-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(EnabledIfChromium.CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + this.profile, "--window-size=1280,900");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(EnabledIfChromium.CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		this.driver.executeCdpCommand("Network.enable", Map.of());
		if (username != null) {
			String basic = Base64.getEncoder()
				.encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
			this.driver.executeCdpCommand("Network.setExtraHTTPHeaders",
					Map.of("headers", Map.of("Authorization", "Basic " + basic)));
		}
		this.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
				Map.of("source",
						"window.__csp = []; document.addEventListener('securitypolicyviolation', function (e) {"
								+ " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });"));
	}

	ChromeDriver driver() {
		return this.driver;
	}

	void open(String url) {
		this.driver.get(url);
	}

	/**
	 * @return the CSP violations of the current page
	 */
	@SuppressWarnings("unchecked")
	List<String> cspViolations() {
		Object v = ((JavascriptExecutor) this.driver).executeScript("return window.__csp || [];");
		return new ArrayList<>((List<String>) v);
	}

	/**
	 * @return console messages of level SEVERE since the last call
	 */
	List<String> consoleErrors() {
		List<String> errors = new ArrayList<>();
		for (LogEntry entry : this.driver.manage().logs().get(LogType.BROWSER)) {
			if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
				errors.add(entry.getMessage());
			}
		}
		return errors;
	}

	Object script(String script) {
		return ((JavascriptExecutor) this.driver).executeScript(script);
	}

	void size(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
	}

	Path screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path file = SCREENSHOTS.resolve(name + ".png");
		Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
		return file;
	}

	@Override
	public void close() throws IOException {
		this.driver.quit();
		try (var files = Files.walk(this.profile)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
	}

}
