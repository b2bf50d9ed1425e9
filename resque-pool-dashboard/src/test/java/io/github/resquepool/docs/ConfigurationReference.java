package io.github.resquepool.docs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The property reference ({@code docs/configuration.md}), rendered from the
 * {@code META-INF/spring-configuration-metadata.json} files that
 * spring-boot-configuration-processor writes into resque-pool's modules.
 */
final class ConfigurationReference {

	/** The metadata file of each module, as the build writes it. */
	static final String METADATA = "META-INF/spring-configuration-metadata.json";

	/** The command that rewrites {@code docs/configuration.md}. */
	static final String UPDATE_COMMAND = "./mvnw -B -q -pl resque-pool-dashboard -am -Dtest=ConfigurationReferenceTests "
			+ "-Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true test";

	private static final String OUR_PACKAGE = "io.github.resquepool.";

	private static final Pattern QUALIFIED_NAME = Pattern.compile("(?:[a-z_][\\w]*\\.)+(?:[A-Z]\\w*\\$)*([A-Z]\\w*)");

	private final ClassLoader classLoader;

	private final List<JsonNode> properties;

	private ConfigurationReference(ClassLoader classLoader, List<JsonNode> properties) {
		this.classLoader = classLoader;
		this.properties = properties;
	}

	/**
	 * Reads every metadata file on the class path that describes a type of resque-pool.
	 * @param classLoader the class loader whose resources to read
	 * @return the reference
	 * @throws IOException if a metadata file cannot be read
	 */
	static ConfigurationReference fromClassPath(ClassLoader classLoader) throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		Map<String, JsonNode> byName = new TreeMap<>();
		for (URL url : Collections.list(classLoader.getResources(METADATA))) {
			JsonNode metadata;
			try (InputStream in = url.openStream()) {
				metadata = mapper.readTree(in);
			}
			if (describesResquePool(metadata)) {
				metadata.path("properties")
					.forEach((property) -> byName.put(property.path("name").asString(), property));
			}
		}
		return new ConfigurationReference(classLoader, new ArrayList<>(byName.values()));
	}

	// Spring Boot's own jars carry metadata files too: ours are those whose groups are
	// types of resque-pool.
	private static boolean describesResquePool(JsonNode metadata) {
		return StreamSupport.stream(metadata.path("groups").spliterator(), false)
			.anyMatch((group) -> group.path("sourceType").asString("").startsWith(OUR_PACKAGE)
					|| group.path("type").asString("").startsWith(OUR_PACKAGE));
	}

	/**
	 * Returns the name of every property, sorted.
	 * @return the property names
	 */
	List<String> names() {
		return this.properties.stream().map((property) -> property.path("name").asString()).toList();
	}

	/**
	 * Renders {@code docs/configuration.md}.
	 * @return the Markdown text
	 */
	String toMarkdown() {
		Map<String, List<JsonNode>> sections = new TreeMap<>(
				(a, b) -> (a.startsWith("resque.") == b.startsWith("resque.")) ? a.compareTo(b)
						: a.startsWith("resque.") ? -1 : 1);
		for (JsonNode property : this.properties) {
			sections.computeIfAbsent(section(property.path("name").asString()), (key) -> new ArrayList<>())
				.add(property);
		}
		StringBuilder md = new StringBuilder();
		md.append("# Configuration reference\n\n");
		md.append(
				"<!-- Generated from the configuration metadata by ConfigurationReferenceTests: do not edit. -->\n\n");
		md.append("Every property of resque-pool, with its type, default and description, as the build's\n");
		md.append("configuration metadata (`").append(METADATA).append("` of `resque-pool-autoconfigure`\n");
		md.append("and `resque-pool-dashboard`, written by `spring-boot-configuration-processor` from the\n");
		md.append("properties classes and their field javadoc) describes it. The build fails when this page and\n");
		md.append("the metadata differ; after adding or changing a property, write this page again with:\n\n");
		md.append("```shell\n").append(UPDATE_COMMAND).append("\n```\n\n");
		md.append("Durations take a unit (`500ms`, `30s`, `5m`); an enum value may be written in any case.\n");
		md.append(
				"A key whose type is a map takes a name of your choice after it: `resque.pool.groups.<name>.count`\n");
		md.append(
				"and `.queues` (shown below for the group `default`), and `resque.scheduler.schedules.<name>.cron`,\n");
		md.append("`.every`, `.class`, `.queue`, `.args`, `.description` and `.publish` (true by default), which\n");
		md.append("[Recurring jobs](scheduler.md#recurring-jobs) shows.\n");
		sections.forEach((section, rows) -> {
			md.append("\n## `")
				.append(section)
				.append(section.startsWith("resque.") ? "`" : "` (Actuator)")
				.append("\n\n");
			md.append("| key | type | default | description |\n");
			md.append("|---|---|---|---|\n");
			for (JsonNode row : rows) {
				md.append("| `")
					.append(row.path("name").asString())
					.append("` | ")
					.append(type(row.path("type").asString("")))
					.append(" | ")
					.append(defaultValue(row.path("defaultValue"), isEnum(row.path("type").asString(""))))
					.append(" | ")
					.append(description(row))
					.append(" |\n");
			}
		});
		return md.toString();
	}

	private static String section(String name) {
		String[] parts = name.split("\\.");
		return (name.startsWith("resque.") && parts.length > 2) ? parts[0] + "." + parts[1] : parts[0];
	}

	private String type(String type) {
		if (type.isEmpty()) {
			return "";
		}
		String simple = QUALIFIED_NAME.matcher(type).replaceAll("$1").replace(",", ", ");
		String values = enumValues(type);
		return "`" + simple + "`" + ((values != null) ? ": " + values : "");
	}

	private String enumValues(String type) {
		Class<?> candidate = enumType(type);
		if (candidate == null) {
			return null;
		}
		return Arrays.stream(candidate.getEnumConstants())
			.map((constant) -> "`" + enumValue(((Enum<?>) constant).name()) + "`")
			.collect(Collectors.joining(", "));
	}

	private boolean isEnum(String type) {
		return enumType(type) != null;
	}

	private Class<?> enumType(String type) {
		try {
			Class<?> candidate = Class.forName(type, false, this.classLoader);
			return candidate.isEnum() ? candidate : null;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

	// Boot binds enum values in any case and with dashes or underscores: show them as
	// the properties files of the docs write them.
	private static String enumValue(String value) {
		return value.toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static String defaultValue(JsonNode value, boolean isEnum) {
		if (value.isMissingNode() || value.isNull()) {
			return "";
		}
		if (value.isArray()) {
			return "`" + StreamSupport.stream(value.spliterator(), false)
				.map(JsonNode::asString)
				.collect(Collectors.joining(",")) + "`";
		}
		String text = isEnum ? enumValue(value.asString()) : value.asString();
		return text.isEmpty() ? "`\"\"`" : "`" + text + "`";
	}

	private static String description(JsonNode property) {
		String text = escape(property.path("description").asString("").replaceAll("\\s+", " ").trim())
			.replaceAll("\\{@(?:code|link|literal) ([^`}]*)}", "`$1`");
		JsonNode deprecation = property.path("deprecation");
		if (property.path("deprecated").asBoolean(false) || !deprecation.isMissingNode()) {
			String replacement = deprecation.path("replacement").asString("");
			text = "**Deprecated**" + (replacement.isEmpty() ? "" : ": use `" + replacement + "`") + ". " + text;
		}
		return text;
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			if ("\\`*_|<[".indexOf(c) >= 0) {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

}
