package io.github.resquepool.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Turns an invalid {@code resque.pool.*} value into Boot's "APPLICATION FAILED TO START"
 * report that names the property, the value, where it came from (as Boot's own analyzer
 * of {@code InvalidConfigurationPropertyValueException} does) and the fix. It runs before
 * Boot's, which would show the origin but not the fix.
 */
class InvalidResquePoolPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidResquePoolPropertyException>
		implements Ordered {

	private final Environment environment;

	InvalidResquePoolPropertyFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidResquePoolPropertyException cause) {
		StringBuilder description = new StringBuilder("Invalid resque-pool configuration:\n\n    Property: ")
			.append(cause.getProperty())
			.append("\n    Value: \"")
			.append(cause.getValue())
			.append('"');
		Origin origin = origin(cause.getProperty());
		if (origin != null) {
			description.append("\n    Origin: ").append(origin);
		}
		description.append("\n    Reason: ").append(cause.getReason());
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

	private Origin origin(String property) {
		if (!(this.environment instanceof ConfigurableEnvironment configurable)
				|| !ConfigurationPropertyName.isValid(property)) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found != null) {
				return found.getOrigin();
			}
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
