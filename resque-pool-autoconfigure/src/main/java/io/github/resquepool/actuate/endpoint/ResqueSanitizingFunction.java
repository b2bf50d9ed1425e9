package io.github.resquepool.actuate.endpoint;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

import io.github.resquepool.resque.RedisUrls;

/**
 * Hides resque-pool's secrets from Actuator's {@code env} and {@code configprops} where
 * they show values: every {@code resque.*} key that names a password (the dashboard's
 * {@code resque.web.password}), and the password inside a URL held by a {@code resque.*}
 * key ({@code resque.redis.url}), whose host, port and database stay readable. Keys are
 * matched in every spelling Boot binds: {@code resque.web.password},
 * {@code RESQUE_WEB_PASSWORD}, {@code resque.web.PASSWORD}.
 */
public class ResqueSanitizingFunction implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		String key = canonical(data.getKey());
		if (!key.startsWith("resque.")) {
			return data;
		}
		if (key.endsWith("password") || key.endsWith("secret") || key.endsWith("token")) {
			return data.withSanitizedValue();
		}
		if (data.getValue() instanceof CharSequence text) {
			String masked = RedisUrls.mask(text.toString());
			if (!masked.contentEquals(text)) {
				return data.withValue(masked);
			}
		}
		return data;
	}

	private static String canonical(String key) {
		return (key != null) ? key.toLowerCase(Locale.ROOT).replace('_', '.').replace("-", "") : "";
	}

}
