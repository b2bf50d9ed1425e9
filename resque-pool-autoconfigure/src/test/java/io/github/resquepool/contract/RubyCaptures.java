package io.github.resquepool.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import tools.jackson.databind.JsonNode;

/**
 * The real Ruby data under {@code interop/captured/} and the Java arguments equal to
 * {@code interop/ruby/arg_cases.rb}, plus a dump of a Redis database in the format of the
 * captured {@code *.keys.json} snapshots.
 */
final class RubyCaptures {

	static final Path SCHEDULER = Path.of("..", "interop", "captured", "scheduler");

	private RubyCaptures() {
	}

	/**
	 * @return {@code interop/ruby/arg_cases.rb} as Java values, by case name
	 */
	static Map<String, Object[]> argCases() {
		Map<String, Object[]> cases = new LinkedHashMap<>();
		cases.put("integers",
				new Object[] { 0, 1, -1, 42, 2147483647, 2147483648L, Long.MIN_VALUE, 9007199254740993L });
		cases.put("big_integers", new Object[] { new BigInteger("18446744073709551616"),
				new BigInteger("-18446744073709551616"), new BigInteger("123456789012345678901234567890") });
		cases.put("floats", new Object[] { 1.0e-05, 10000000.0, 0.1, 1.5, 0.0001, 0.001, 100.0, -0.0, 12345678.9,
				1.0e15, 1.0e16, 1.0 / 3, 2.5e-300, 1.7976931348623157e308, 5.0e-324 });
		cases.put("strings_unicode", new Object[] { "é", "€", "日本語", "Grüße", "\u00a0nbsp", "\u2028\u2029" });
		cases.put("strings_slash", new Object[] { "a/b", "</script>", "http://example.com/x?y=1&z=2" });
		cases.put("strings_control",
				new Object[] { "\t\n\r\b\f", "\u0000\u0001\u001f", "\u007f", "\"quoted\" \\back\\slash" });
		cases.put("strings_html", new Object[] { "<b>&amp;</b>", "'single'", "a>b&c<d" });
		cases.put("emoji", new Object[] { "😀", "👍🏽", "🇩🇪", "e\u0301" });
		Map<String, Object> inner = new LinkedHashMap<>();
		inner.put("b", List.of(1, map("c", null)));
		Map<String, Object> first = new LinkedHashMap<>();
		first.put("a", inner);
		first.put("z", List.of(List.of(), Map.of()));
		Map<String, Object> last = new LinkedHashMap<>();
		last.put("k", "v");
		last.put("a", 1);
		cases.put("nested", new Object[] { first, List.of(List.of(1, 2), List.of(3, List.of(4))), last });
		cases.put("nil_true_false", new Object[] { null, true, false });
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("1", "int key");
		keys.put("2.5", "float key");
		keys.put("", "nil key");
		cases.put("symbols", new Object[] { "sym", Map.of("sym_key", "sym_value"), List.of("a", "b"), keys });
		cases.put("empty", new Object[] {});
		cases.put("empty_values", new Object[] { "", List.of(), Map.of() });
		cases.put("mixed_invoice", new Object[] { 42, "EUR", Map.of("a", 1) });
		return cases;
	}

	private static Map<String, Object> map(String key, Object value) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put(key, value);
		return map;
	}

	static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return a captured {@code *.keys.json} snapshot, normalised like {@link #dump}
	 */
	static Map<String, Object> snapshot(Path path) {
		JsonNode root = ContractSupport.json(read(path));
		Map<String, Object> keys = new TreeMap<>();
		for (Map.Entry<String, JsonNode> entry : root.properties()) {
			JsonNode value = entry.getValue().get("value");
			String type = entry.getValue().get("type").asString();
			keys.put(entry.getKey(), switch (type) {
				case "hash" -> {
					Map<String, String> hash = new TreeMap<>();
					value.properties().forEach((p) -> hash.put(p.getKey(), p.getValue().asString()));
					yield hash;
				}
				case "string" -> value.asString();
				case "zset" -> {
					List<String> flat = new ArrayList<>();
					value.forEach((pair) -> pair.forEach((v) -> flat.add(v.asString())));
					yield flat;
				}
				default -> {
					List<String> items = new ArrayList<>();
					value.forEach((v) -> items.add(v.asString()));
					yield type.equals("set") ? items.stream().sorted().toList() : items;
				}
			});
		}
		return keys;
	}

	/**
	 * @return every key of the database with its value: lists in order, sets sorted,
	 * sorted sets as member and score in turn
	 */
	static Map<String, Object> dump(StatefulRedisConnection<String, String> raw, String... ignoredKeys) {
		RedisCommands<String, String> commands = raw.sync();
		Map<String, Object> keys = new TreeMap<>();
		for (String key : commands.keys("*")) {
			if (Arrays.asList(ignoredKeys).contains(key)) {
				continue;
			}
			String type = commands.type(key);
			keys.put(key, switch (type) {
				case "list" -> commands.lrange(key, 0, -1);
				case "set" -> commands.smembers(key).stream().sorted().toList();
				case "zset" -> {
					List<String> flat = new ArrayList<>();
					for (ScoredValue<String> member : commands.zrangeWithScores(key, 0, -1)) {
						flat.add(member.getValue());
						flat.add(score(member.getScore()));
					}
					yield flat;
				}
				case "hash" -> new TreeMap<>(commands.hgetall(key));
				default -> commands.get(key);
			});
		}
		return keys;
	}

	/**
	 * @return a score written as {@code ZRANGE ... WITHSCORES} writes a whole number or a
	 * short fraction: {@code 1796248800}, not {@code 1.7962488E9}
	 */
	private static String score(double score) {
		return BigDecimal.valueOf(score).stripTrailingZeros().toPlainString();
	}

}
