package io.github.resquepool.resque;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * One entry of a Resque queue list, matched as Ruby's {@code File.fnmatch} does without
 * flags: {@code *} is any run of characters (also {@code /}), {@code ?} one character,
 * {@code [...]} a class ({@code !} or {@code ^} negates it), a backslash makes the next
 * character literal, braces are literal, matching is case-sensitive, and a wildcard never
 * matches a leading {@code .}.
 * <p>
 * Names are matched by a glob matcher that backtracks only to the last {@code *}, in time
 * proportional to the name's length times the entry's: queue names come from anyone who
 * can enqueue or publish, and a regular expression such as {@code .*a.*a.*b} takes
 * minutes on a long name. The entry is also rendered as a Java regular expression and as
 * a Lua pattern, for callers that want them; neither is used to match.
 */
public final class QueuePattern {

	private final String glob;

	private final Pattern regex;

	private final String luaPattern;

	private final boolean wildcardStart;

	/** One predicate per character of a match, {@code null} for a {@code *}. */
	private final IntPredicate[] tokens;

	private QueuePattern(String glob, Pattern regex, String luaPattern, boolean wildcardStart,
			List<IntPredicate> tokens) {
		this.glob = glob;
		this.regex = regex;
		this.luaPattern = luaPattern;
		this.wildcardStart = wildcardStart;
		this.tokens = tokens.toArray(new IntPredicate[0]);
	}

	private static final String LUA_MAGIC = "^$()%.[]*+-?";

	/**
	 * Stands for one UTF-8 character in a Lua pattern; the script expands it, since Lua
	 * patterns work on bytes and script arguments cannot carry bytes that are not UTF-8.
	 */
	private static final char LUA_ONE_CHARACTER = '\u0001';

	/** Lets a negated class match a whole UTF-8 character: the script expands it too. */
	private static final char LUA_CONTINUATION = '\u0002';

	/**
	 * Compiles one queue list entry.
	 * @param glob the entry, without a leading {@code !}
	 * @return the compiled entry
	 */
	public static QueuePattern compile(String glob) {
		StringBuilder java = new StringBuilder();
		StringBuilder lua = new StringBuilder("^");
		List<IntPredicate> tokens = new ArrayList<>();
		int i = 0;
		while (i < glob.length()) {
			char c = glob.charAt(i);
			if (c == '*') {
				java.append(".*");
				lua.append(".*");
				if (tokens.isEmpty() || tokens.get(tokens.size() - 1) != null) {
					tokens.add(null);
				}
				i++;
			}
			else if (c == '?') {
				java.append('.');
				lua.append(LUA_ONE_CHARACTER);
				tokens.add((cp) -> true);
				i++;
			}
			else if (c == '[' && classEnd(glob, i) > 0) {
				int end = classEnd(glob, i);
				appendClass(glob.substring(i + 1, end), java, lua);
				tokens.add(characterClass(glob.substring(i + 1, end)));
				i = end + 1;
			}
			else {
				if (c == '\\' && i + 1 < glob.length()) {
					i++;
				}
				int literal = glob.codePointAt(i);
				java.append(Pattern.quote(Character.toString(literal)));
				Character.toString(literal).chars().forEach((unit) -> lua.append(luaLiteral((char) unit)));
				tokens.add((cp) -> cp == literal);
				i += Character.charCount(literal);
			}
		}
		lua.append('$');
		boolean wildcardStart = !glob.isEmpty() && "*?[".indexOf(glob.charAt(0)) >= 0;
		return new QueuePattern(glob, Pattern.compile(java.toString(), Pattern.DOTALL), lua.toString(), wildcardStart,
				tokens);
	}

	/**
	 * @return the entry as configured
	 */
	public String glob() {
		return this.glob;
	}

	/**
	 * @return the entry as a Java regular expression
	 */
	public Pattern regex() {
		return this.regex;
	}

	/**
	 * @return the entry as an anchored Lua pattern
	 */
	public String luaPattern() {
		return this.luaPattern;
	}

	/**
	 * @return whether the entry starts with a wildcard, so it never matches a name that
	 * starts with a dot
	 */
	public boolean wildcardStart() {
		return this.wildcardStart;
	}

	/**
	 * Tells whether an entry has any character that makes a Resque queue list dynamic.
	 * @param entry a queue list entry
	 * @return whether the entry holds one of {@code * ? [ ] { }}
	 */
	public static boolean isGlob(String entry) {
		return entry.chars().anyMatch((c) -> "*?[]{}".indexOf(c) >= 0);
	}

	/**
	 * Tells whether a queue name matches this entry.
	 * @param name a queue name
	 * @return whether it matches
	 */
	public boolean matches(String name) {
		if (this.wildcardStart && name.startsWith(".")) {
			return false;
		}
		IntPredicate[] tokens = this.tokens;
		int n = 0;
		int t = 0;
		int star = -1;
		int resume = 0;
		while (n < name.length()) {
			int cp = name.codePointAt(n);
			if (t < tokens.length && tokens[t] != null && tokens[t].test(cp)) {
				t++;
				n += Character.charCount(cp);
			}
			else if (t < tokens.length && tokens[t] == null) {
				star = t++;
				resume = n;
			}
			else if (star >= 0) {
				// Only the last star is ever retried: with single-character tokens
				// between
				// stars, a match found later for an earlier star is never needed.
				t = star + 1;
				resume += Character.charCount(name.codePointAt(resume));
				n = resume;
			}
			else {
				return false;
			}
		}
		while (t < tokens.length && tokens[t] == null) {
			t++;
		}
		return t == tokens.length;
	}

	/**
	 * Renders the entry as the fetch script took it before lists were expanded in Java: a
	 * flag ({@code 1} when a leading dot can't match) followed by the Lua pattern. The
	 * fetch no longer uses it.
	 * @return the script argument
	 */
	public String scriptArgument() {
		return (this.wildcardStart ? "1" : "0") + this.luaPattern;
	}

	private static int classEnd(String glob, int open) {
		int i = open + 1;
		if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
			i++;
		}
		if (i < glob.length() && glob.charAt(i) == ']') {
			i++;
		}
		while (i < glob.length()) {
			char c = glob.charAt(i);
			if (c == '\\') {
				i += 2;
				continue;
			}
			if (c == ']') {
				return i;
			}
			i++;
		}
		return -1;
	}

	/**
	 * A class as Ruby reads it: {@code !} or {@code ^} first negates it, a backslash
	 * makes the next character literal, {@code a-c} is a range unless the {@code -} comes
	 * first or last.
	 */
	private static IntPredicate characterClass(String body) {
		boolean negated = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
		List<int[]> ranges = new ArrayList<>();
		int i = negated ? 1 : 0;
		boolean range = false;
		while (i < body.length()) {
			int c = body.codePointAt(i);
			boolean escaped = c == '\\' && i + Character.charCount(c) < body.length();
			if (escaped) {
				i += Character.charCount(c);
				c = body.codePointAt(i);
			}
			int next = i + Character.charCount(c);
			if (!escaped && c == '-' && next < body.length() && !ranges.isEmpty()
					&& ranges.get(ranges.size() - 1) != null && !range) {
				range = true;
			}
			else if (range) {
				ranges.get(ranges.size() - 1)[1] = c;
				range = false;
				ranges.add(null);
			}
			else {
				ranges.add(new int[] { c, c });
			}
			i = next;
		}
		int[][] all = ranges.stream().filter(Objects::nonNull).toArray(int[][]::new);
		return (cp) -> {
			for (int[] r : all) {
				if (cp >= r[0] && cp <= r[1]) {
					return !negated;
				}
			}
			return negated;
		};
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof QueuePattern pattern && pattern.glob.equals(this.glob);
	}

	@Override
	public int hashCode() {
		return this.glob.hashCode();
	}

	@Override
	public String toString() {
		return this.glob;
	}

	private static void appendClass(String body, StringBuilder java, StringBuilder lua) {
		java.append('[');
		lua.append('[');
		int i = 0;
		if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
			java.append('^');
			lua.append('^');
			i = 1;
		}
		for (; i < body.length(); i++) {
			char c = body.charAt(i);
			if (c == '\\' && i + 1 < body.length()) {
				c = body.charAt(++i);
				java.append('\\').append(c);
				lua.append(luaLiteral(c));
			}
			else if (c == '-' && i > 0 && i + 1 < body.length()) {
				java.append('-');
				lua.append('-');
			}
			else {
				java.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
				lua.append(luaLiteral(c));
			}
		}
		java.append(']');
		lua.append(']');
		if (java.charAt(java.lastIndexOf("[") + 1) == '^') {
			lua.append(LUA_CONTINUATION);
		}
	}

	private static String luaLiteral(char c) {
		return (LUA_MAGIC.indexOf(c) >= 0) ? "%" + c : String.valueOf(c);
	}

}
