package io.github.resquepool.resque;

import tools.jackson.databind.JsonNode;

/**
 * The key in which the Ruby plugin resque-retry (1.8) counts a job's attempts,
 * {@code resque-retry:<class>:<sha1>} without the namespace, where the SHA-1 is that of
 * Ruby's {@code args.join('-')} (and {@code resque-retry:<class>} for no arguments),
 * whitespace removed from the whole key. So a Java worker and a Ruby worker with
 * resque-retry count the attempts of the same job in the same place, and two identical
 * jobs (same class, same arguments) share one count, as in the plugin.
 * <p>
 * {@code join} is Ruby's: nested arrays are joined in place, {@code nil} is empty, floats
 * are {@code Float#to_s}, and a hash is its {@code inspect} ({@code {"a"=>1, "b"=>nil}},
 * Ruby 3.1).
 */
public final class RetryKey {

	private RetryKey() {
	}

	/**
	 * Builds the key of a job.
	 * @param className the Resque class name
	 * @param args the job's arguments, or {@code null} for none
	 * @return the key without the namespace
	 */
	public static String of(String className, JsonNode args) {
		String joined = join(args);
		String key = "resque-retry:" + className;
		if (!joined.isEmpty()) {
			key += ":" + Sha1.hex(joined);
		}
		return key.replaceAll("[ \\t\\r\\n\\f\\u000b]", "");
	}

	/**
	 * Ruby's {@code args.join('-')}.
	 * @param args the arguments, or {@code null}
	 * @return the joined text
	 */
	static String join(JsonNode args) {
		StringBuilder out = new StringBuilder();
		if (args != null && args.isArray()) {
			join(args, out);
		}
		else if (args != null && !args.isNull()) {
			toS(args, out);
		}
		return out.toString();
	}

	private static void join(JsonNode array, StringBuilder out) {
		boolean first = true;
		for (JsonNode element : array) {
			if (!first) {
				out.append('-');
			}
			first = false;
			if (element.isArray()) {
				join(element, out);
			}
			else {
				toS(element, out);
			}
		}
	}

	private static void toS(JsonNode node, StringBuilder out) {
		if (node.isString()) {
			out.append(node.asString());
		}
		else if (node.isNull()) {
			// nil.to_s is empty
		}
		else {
			RubyRendering.write(node, RubyRendering.INSPECT, out);
		}
	}

}
