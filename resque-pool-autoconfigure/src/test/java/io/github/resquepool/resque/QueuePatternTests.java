package io.github.resquepool.resque;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matching a queue name against a list entry: the same answers as the entry's regular
 * expression, in time linear in the name's length for any entry, so a long name that
 * anyone can push or publish never holds the thread that matches it.
 */
class QueuePatternTests {

	private static final List<String> GLOBS = List.of("*", "a*", "*a", "a*b", "*a*", "a*a*a*b", "a?b", "?", "??", "*?",
			"?*", "[ab]*", "[!a]*", "[^a-c]?", "[a-c]", "[-a]", "[a-]", "[é]", "[!é]", "a\\*", "a\\?b", "\\[a]", "*.b",
			".*", "a.b", "[.]a", "é*😀", "😀?", "*😀*", "a*[!b]", "[]a]", "[!]a]*", "x{a}", "a+*", "*-*-*");

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "a*a*a*b", "*a*a*a*a*a*b", "a*a*a*a*a*a*a*a*c", "*?*?*?*?b", "[a]*[a]*[!b]*b" })
	void aLongNameIsMatchedInLinearTime(String glob) throws Exception {
		QueuePattern pattern = QueuePattern.compile(glob);
		String name = "a".repeat(100_000);
		CompletableFuture.runAsync(() -> {
			assertThat(pattern.matches(name)).isFalse();
			assertThat(pattern.matches(name + glob.charAt(glob.length() - 1))).isTrue();
		}).get(2, TimeUnit.SECONDS);
	}

	@Test
	void matchesAsTheRegularExpressionOnATableOfNames() {
		Random random = new Random(22);
		String[] alphabet = { "a", "b", "c", ".", "-", "é", "😀", "]", "*", "?", "x", "{", "}" };
		List<String> names = new ArrayList<>(List.of("", "a", "b", "ab", "aab", "aaab", "a.b", ".a", ".hidden", "a*",
				"a?b", "[a]", "é😀", "😀", "😀😀", "-", "a-", "x{a}", "a+", "a-b-c"));
		for (int i = 0; i < 3_000; i++) {
			StringBuilder name = new StringBuilder();
			for (int length = random.nextInt(7); length > 0; length--) {
				name.append(alphabet[random.nextInt(alphabet.length)]);
			}
			names.add(name.toString());
		}
		for (String glob : GLOBS) {
			QueuePattern pattern = QueuePattern.compile(glob);
			for (String name : names) {
				boolean expected = !(pattern.wildcardStart() && name.startsWith("."))
						&& pattern.regex().matcher(name).matches();
				assertThat(pattern.matches(name)).as("%s against \"%s\"", glob, name).isEqualTo(expected);
			}
		}
	}

}
