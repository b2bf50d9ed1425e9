package io.github.resquepool.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real payloads Rails 6.1.7.10's ActiveJob (Resque adapter, resque 3.0.0, Ruby 3.1.2)
 * wrote, kept under {@code interop/captured/activejob-6.1/} (see its {@code VERSIONS}
 * file).
 */
public final class ActiveJobCaptures {

	/** The folder of the captures. */
	public static final Path ROOT = Path.of("..", "interop", "captured", "activejob-6.1");

	private ActiveJobCaptures() {
	}

	/**
	 * Reads one {@code perform_later/<name>.json} payload, byte for byte.
	 * @param name the case name, e.g. {@code invoice}
	 * @return the payload text
	 */
	public static String performLater(String name) {
		return read(ROOT.resolve("perform_later").resolve(name + ".json"));
	}

	/**
	 * Reads a captured file.
	 * @param relative the path below the folder, e.g. {@code worker/failed_0.json}
	 * @return its text
	 */
	public static String file(String relative) {
		return read(ROOT.resolve(relative));
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
