package io.github.resquepool.job;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.springframework.util.Assert;

/**
 * A Rails GlobalID, {@code gid://<app>/<model>/<id>[?params]}, as ActiveJob passes an
 * Active Record object: {@code {"_aj_globalid":"gid://shop/User/42"}}. A handler
 * parameter of this type (or of type {@code String}, which receives the URI) receives it;
 * the Java side loads the record itself, e.g. by {@link #modelId()}. Written back with
 * {@link io.github.resquepool.client.ResqueClient#enqueueActiveJob
 * ResqueClient.enqueueActiveJob}, Rails' {@code GlobalID::Locator} finds the record
 * again.
 *
 * @param app the application name, e.g. {@code shop}
 * @param modelName the Ruby class name of the model, e.g. {@code User} or
 * {@code Admin::User}
 * @param modelId the record's id as text, e.g. {@code 42} (for a composite key, its parts
 * joined by {@code /})
 * @param params the query parameters, in order; empty for none
 */
public record GlobalId(String app, String modelName, String modelId, Map<String, String> params) {

	private static final String SCHEME = "gid://";

	/**
	 * Creates a GlobalID.
	 * @param app the application name
	 * @param modelName the model's Ruby class name
	 * @param modelId the record's id
	 * @param params the query parameters, may be {@code null}
	 */
	public GlobalId {
		Assert.hasText(app, "'app' must not be empty");
		Assert.hasText(modelName, "'modelName' must not be empty");
		Assert.hasText(modelId, "'modelId' must not be empty");
		params = (params != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(params)) : Map.of();
	}

	/**
	 * Creates a GlobalID without parameters.
	 * @param app the application name
	 * @param modelName the model's Ruby class name
	 * @param modelId the record's id, rendered with {@code toString()}
	 * @return the GlobalID
	 */
	public static GlobalId of(String app, String modelName, Object modelId) {
		return new GlobalId(app, modelName, String.valueOf(modelId), Map.of());
	}

	/**
	 * Reads a GlobalID URI as the {@code globalid} gem does.
	 * @param uri the URI, e.g. {@code gid://shop/User/42}
	 * @return the GlobalID
	 * @throws IllegalArgumentException when the text is not a GlobalID URI
	 */
	@JsonCreator
	public static GlobalId parse(String uri) {
		if (uri == null || !uri.startsWith(SCHEME)) {
			throw new IllegalArgumentException("'" + uri + "' is not a GlobalID (gid://app/Model/id)");
		}
		String rest = uri.substring(SCHEME.length());
		String query = null;
		int question = rest.indexOf('?');
		if (question >= 0) {
			query = rest.substring(question + 1);
			rest = rest.substring(0, question);
		}
		String[] parts = rest.split("/", 3);
		if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
			throw new IllegalArgumentException("'" + uri + "' is not a GlobalID (gid://app/Model/id)");
		}
		Map<String, String> params = new LinkedHashMap<>();
		if (query != null && !query.isEmpty()) {
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				String key = (equals >= 0) ? pair.substring(0, equals) : pair;
				String value = (equals >= 0) ? pair.substring(equals + 1) : "";
				params.put(decode(key), decode(value));
			}
		}
		return new GlobalId(decode(parts[0]), decode(parts[1]), decode(parts[2]), params);
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	/**
	 * Returns the record's id as a number.
	 * @return the id
	 * @throws NumberFormatException when the id is not a whole number
	 */
	public long modelIdAsLong() {
		return Long.parseLong(this.modelId);
	}

	/**
	 * Renders the URI, as {@code GlobalID#to_s}.
	 * @return e.g. {@code gid://shop/User/42}
	 */
	@JsonValue
	@Override
	public String toString() {
		StringBuilder uri = new StringBuilder(SCHEME).append(this.app)
			.append('/')
			.append(this.modelName)
			.append('/')
			.append(this.modelId);
		char separator = '?';
		for (Map.Entry<String, String> param : this.params.entrySet()) {
			uri.append(separator).append(param.getKey()).append('=').append(param.getValue());
			separator = '&';
		}
		return uri.toString();
	}

}
