package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary folders of embedded servers (data folders, Sentinel configurations):
 * deleted by their server's {@code close()}, and those left at JVM exit once every
 * {@linkplain ChildProcess child process} is gone.
 */
final class TemporaryFolders {

	private static final Logger log = LoggerFactory.getLogger(TemporaryFolders.class);

	private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

	static {
		ChildProcess.afterChildrenAtJvmExit(() -> CREATED.forEach(TemporaryFolders::delete));
	}

	private TemporaryFolders() {
	}

	/**
	 * Creates a folder under {@code java.io.tmpdir}.
	 * @param prefix the start of its name
	 * @return the new folder
	 */
	static Path create(String prefix) {
		try {
			Path dir = Files.createTempDirectory(prefix);
			CREATED.add(dir);
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary folder for Redis", ex);
		}
	}

	/**
	 * Deletes a folder and everything in it, as far as possible.
	 * @param dir the folder, or {@code null} for nothing
	 */
	static void delete(Path dir) {
		if (dir == null) {
			return;
		}
		CREATED.remove(dir);
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					log.debug("Cannot delete {}", path, ex);
				}
			});
		}
		catch (IOException ex) {
			log.debug("Cannot delete {}", dir, ex);
		}
	}

}
