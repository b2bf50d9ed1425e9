package io.github.resquepool.resque;

import java.util.regex.Pattern;

/**
 * One entry of a Resque queue list, matched as Ruby's {@code File.fnmatch} does without
 * flags: {@code *} is any run of characters (also {@code /}), {@code ?} one character,
 * {@code [...]} a class ({@code !} or {@code ^} negates it), a backslash makes the next
 * character literal, braces are literal, matching is case-sensitive, and a wildcard never
 * matches a leading {@code .}. The same entry is rendered as a Java regular expression
 * (for the pool's own use) and as a Lua pattern (for the fetch script), so both sides
 * expand a list identically.
 *
 * @param glob the entry as configured
 * @param regex the entry as a Java regular expression
 * @param luaPattern the entry as an anchored Lua pattern
 * @param wildcardStart whether the entry starts with a wildcard, so it never matches a
 * name that starts with a dot
 */
public record QueuePattern(String glob, Pattern regex, String luaPattern, boolean wildcardStart) {

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
		int i = 0;
		while (i < glob.length()) {
			char c = glob.charAt(i);
			if (c == '*') {
				java.append(".*");
				lua.append(".*");
				i++;
			}
			else if (c == '?') {
				java.append('.');
				lua.append(LUA_ONE_CHARACTER);
				i++;
			}
			else if (c == '[' && classEnd(glob, i) > 0) {
				int end = classEnd(glob, i);
				appendClass(glob.substring(i + 1, end), java, lua);
				i = end + 1;
			}
			else {
				if (c == '\\' && i + 1 < glob.length()) {
					i++;
					c = glob.charAt(i);
				}
				java.append(Pattern.quote(String.valueOf(c)));
				lua.append(luaLiteral(c));
				i++;
			}
		}
		lua.append('$');
		boolean wildcardStart = !glob.isEmpty() && "*?[".indexOf(glob.charAt(0)) >= 0;
		return new QueuePattern(glob, Pattern.compile(java.toString(), Pattern.DOTALL), lua.toString(), wildcardStart);
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
		return this.regex.matcher(name).matches();
	}

	/**
	 * Renders the entry for the fetch script: a flag ({@code 1} when a leading dot can't
	 * match) followed by the Lua pattern.
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
