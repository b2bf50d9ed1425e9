package io.github.resquepool.resque;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One of the pool's Lua scripts, with the shared functions of {@code lib.lua} in front,
 * and its SHA-1 for {@code EVALSHA}.
 *
 * @param name the script's file name without {@code .lua}
 * @param source the whole source sent to Redis
 * @param sha its SHA-1 in hex
 */
public record LuaScript(String name, String source, String sha) {

	/**
	 * Loads a script from the class path, next to this class.
	 * @param name the file name without {@code .lua}
	 * @return the script
	 */
	static LuaScript load(String name) {
		String source = resource("lib.lua") + "\n" + resource(name + ".lua");
		return new LuaScript(name, source, Sha1.hex(source));
	}

	private static String resource(String name) {
		try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("missing script " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read script " + name, ex);
		}
	}

}
