package io.github.resquepool.dashboard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a browser test only where Debian's {@code chromium} and {@code chromium-driver}
 * are installed, and says plainly why it does not run elsewhere.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
@ExtendWith(EnabledIfChromium.Condition.class)
public @interface EnabledIfChromium {

	/**
	 * The Chromium binary: Debian's, or the system property
	 * {@code resque.web.test.chromium}.
	 */
	Path CHROMIUM = Path.of(System.getProperty("resque.web.test.chromium", "/usr/bin/chromium"));

	/**
	 * The ChromeDriver binary: Debian's, or the system property
	 * {@code resque.web.test.chromedriver}.
	 */
	Path CHROMEDRIVER = Path.of(System.getProperty("resque.web.test.chromedriver", "/usr/bin/chromedriver"));

	/** Tells JUnit whether both binaries are there. */
	class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
				return ConditionEvaluationResult.enabled("Chromium and ChromeDriver found");
			}
			String reason = "The browser tests need Chromium: " + CHROMIUM + " and " + CHROMEDRIVER
					+ " are not both installed (apt-get install -y chromium chromium-driver, or name other binaries"
					+ " with -Dresque.web.test.chromium and -Dresque.web.test.chromedriver). Skipping them;"
					+ " ./mvnw -B verify runs them where both are there.";
			System.err.println(reason);
			return ConditionEvaluationResult.disabled(reason);
		}

	}

}
