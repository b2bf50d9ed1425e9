package io.github.resquepool.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code redis-server} binary of this platform, taken from the
 * {@code org.signal:embedded-redis} jar on the classpath and copied once to a cache
 * folder: {@code ${java.io.tmpdir}/resque-pool-redis} (or a folder of the user's own when
 * that one belongs to another user), or the folder named by the system property
 * {@value EmbeddedRedisServer#CACHE_DIR_PROPERTY}.
 */
final class RedisBinary {

	private static final Logger log = LoggerFactory.getLogger(RedisBinary.class);

	private static final List<String> PLATFORMS = List.of("linux-amd64", "linux-arm64", "linux-386", "darwin-amd64",
			"darwin-arm64");

	private static Path extracted;

	private RedisBinary() {
	}

	/**
	 * Tells whether a binary exists for this JVM's operating system and architecture.
	 */
	static boolean isPlatformSupported() {
		return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", "")) != null;
	}

	/**
	 * Maps {@code os.name}/{@code os.arch} to a binary suffix such as
	 * {@code linux-amd64}, or null.
	 */
	static String platform(String osName, String osArch) {
		String os = osName.toLowerCase(Locale.ROOT);
		String arch = osArch.toLowerCase(Locale.ROOT);
		String osPart;
		if (os.contains("linux")) {
			osPart = "linux";
		}
		else if (os.contains("mac") || os.contains("darwin")) {
			osPart = "darwin";
		}
		else {
			return null;
		}
		String archPart = switch (arch) {
			case "amd64", "x86_64", "x64" -> "amd64";
			case "aarch64", "arm64" -> "arm64";
			case "x86", "i386", "i486", "i586", "i686" -> "386";
			default -> null;
		};
		if (archPart == null) {
			return null;
		}
		String platform = osPart + "-" + archPart;
		return PLATFORMS.contains(platform) ? platform : null;
	}

	static String platformDescription() {
		return "os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch");
	}

	/**
	 * Extracts (once per JVM, reusing an earlier copy of the same size) and returns the
	 * server binary.
	 */
	static synchronized Path path() {
		if (extracted == null || !Files.isExecutable(extracted)) {
			extracted = extractFor(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
		}
		return extracted;
	}

	/**
	 * Extracts the binary for the given platform to the cache folder and returns its
	 * path.
	 */
	static Path extractFor(String osName, String osArch) {
		String platform = platform(osName, osArch);
		if (platform == null) {
			throw new IllegalStateException("No embedded Redis server binary for this platform (os.name=" + osName
					+ ", os.arch=" + osArch + "); binaries exist only for " + PLATFORMS
					+ ". Run Redis some other way (Docker, or a local install).");
		}
		String name = "redis-server-" + EmbeddedRedisServer.REDIS_VERSION + "-" + platform;
		URL resource = RedisBinary.class.getClassLoader().getResource(name);
		if (resource == null) {
			throw new IllegalStateException("The Redis server binary '" + name + "' is not on the classpath;"
					+ " add org.signal:embedded-redis to the dependencies.");
		}
		IOException failure = null;
		for (Path dir : cacheDirs()) {
			try {
				return extract(resource, dir, name);
			}
			catch (IOException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		throw new IllegalStateException(
				"Cannot extract the Redis server binary " + name + " (tried " + cacheDirs() + "; set -D"
						+ EmbeddedRedisServer.CACHE_DIR_PROPERTY + "=<folder> to choose another place): " + failure,
				failure);
	}

	private static List<Path> cacheDirs() {
		String configured = System.getProperty(EmbeddedRedisServer.CACHE_DIR_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return List.of(Paths.get(configured));
		}
		Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
		String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
		// The second folder helps when the shared one belongs to another user.
		return List.of(tmp.resolve("resque-pool-redis"), tmp.resolve("resque-pool-redis-" + user));
	}

	private static Path extract(URL resource, Path dir, String name) throws IOException {
		Files.createDirectories(dir);
		Path target = dir.resolve(name);
		URLConnection connection = resource.openConnection();
		long size = connection.getContentLengthLong();
		try (InputStream in = connection.getInputStream()) {
			if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
				if (!Files.isExecutable(target)) {
					makeExecutable(target);
				}
				return target;
			}
			Path temp = Files.createTempFile(dir, name + "-", ".tmp");
			try {
				Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
				makeExecutable(temp);
				try {
					Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			finally {
				Files.deleteIfExists(temp);
			}
			log.debug("Extracted Redis server binary to {}", target);
			return target;
		}
	}

	private static void makeExecutable(Path file) throws IOException {
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		else if (!file.toFile().setExecutable(true, false)) {
			throw new IOException("Cannot make " + file + " executable");
		}
	}

}
