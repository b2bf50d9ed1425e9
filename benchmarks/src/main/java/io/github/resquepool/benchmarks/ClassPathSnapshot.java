package io.github.resquepool.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Copies the parts of this JVM's class path that a build may rewrite while the benchmarks
 * run (class directories, the reactor modules' jars, SNAPSHOT jars) into the work
 * directory and points {@code java.class.path} at the copies, so that the runner
 * (relaunched on the copy), its child JVMs and the JMH forks all load the classes this
 * run was built with. Other engineers' builds of the same repository ({@code package},
 * {@code clean}) then cannot pull a class from under a running benchmark. Released jars
 * of the local Maven repository are used in place.
 */
final class ClassPathSnapshot {

	private static final int ATTEMPTS = 20;

	private ClassPathSnapshot() {
	}

	/**
	 * Makes the copy and sets {@code java.class.path} to it.
	 * @param dir where the copies go (emptied first)
	 * @return the new class path
	 * @throws IOException when an entry cannot be copied consistently
	 */
	static String freeze(Path dir) throws IOException {
		String current = System.getProperty("java.class.path");
		List<String> entries = new ArrayList<>();
		BenchmarkRunner.deleteTree(dir);
		Files.createDirectories(dir);
		int i = 0;
		for (String entry : current.split(File.pathSeparator)) {
			Path path = Path.of(entry).toAbsolutePath().normalize();
			if (Files.isDirectory(path)) {
				Path copy = dir.resolve((i++) + "-" + moduleName(path));
				copyConsistently(path, copy);
				entries.add(copy.toString());
			}
			else if (Files.isRegularFile(path) && mayChange(path)) {
				Path copy = dir.resolve((i++) + "-" + path.getFileName());
				copyConsistently(path, copy);
				entries.add(copy.toString());
			}
			else {
				entries.add(entry);
			}
		}
		String frozen = String.join(File.pathSeparator, entries);
		System.setProperty("java.class.path", frozen);
		return frozen;
	}

	private static boolean mayChange(Path jar) {
		Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository").toAbsolutePath().normalize();
		return !jar.startsWith(repository) || jar.getFileName().toString().contains("SNAPSHOT");
	}

	private static String moduleName(Path classes) {
		return (classes.getParent() != null && classes.getParent().getParent() != null)
				? String.valueOf(classes.getParent().getParent().getFileName()) + "-" + classes.getFileName() : "dir";
	}

	/**
	 * Copies until the source did not change during the copy (a build may be rewriting
	 * it).
	 */
	private static void copyConsistently(Path source, Path target) throws IOException {
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			String before = fingerprint(source);
			BenchmarkRunner.deleteTree(target);
			try {
				if (Files.isDirectory(source)) {
					copyTree(source, target);
				}
				else {
					Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
					try (ZipFile zip = new ZipFile(target.toFile())) {
						zip.size();
					}
				}
				if (before.equals(fingerprint(source)) && !before.isEmpty()) {
					return;
				}
			}
			catch (IOException ex) {
				// changed under us: try again
			}
			BenchmarkRunner.sleep(1000);
		}
		throw new IOException("could not copy " + source + ": it kept changing (a build running at the same time?)");
	}

	private static String fingerprint(Path source) throws IOException {
		if (!Files.exists(source)) {
			return "";
		}
		if (!Files.isDirectory(source)) {
			return Files.size(source) + "@" + Files.getLastModifiedTime(source).toMillis();
		}
		StringBuilder print = new StringBuilder();
		try (Stream<Path> paths = Files.walk(source)) {
			for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
				print.append(source.relativize(p))
					.append(':')
					.append(Files.size(p))
					.append('@')
					.append(Files.getLastModifiedTime(p).toMillis())
					.append('\n');
			}
		}
		return print.toString();
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path source : paths.toList()) {
				Path target = to.resolve(from.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

	/**
	 * The current class path with every directory packed into a jar of its own (in
	 * {@code dir}, emptied first): the JDK's AOT cache takes classes only from jars, and
	 * a class path with a non-empty directory makes the training run fail. Call after
	 * {@link #freeze}, so that the directories are this run's copies.
	 * @param dir where the jars go
	 * @return the class path of jars
	 * @throws IOException when a jar cannot be written
	 */
	static String jarred(Path dir) throws IOException {
		List<String> entries = new ArrayList<>();
		BenchmarkRunner.deleteTree(dir);
		Files.createDirectories(dir);
		int i = 0;
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path path = Path.of(entry).toAbsolutePath().normalize();
			if (!Files.isDirectory(path)) {
				entries.add(entry);
				continue;
			}
			Path jar = dir.resolve((i++) + "-" + path.getFileName() + ".jar");
			try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
					Stream<Path> paths = Files.walk(path)) {
				for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
					out.putNextEntry(new java.util.jar.JarEntry(
							path.relativize(file).toString().replace(File.separatorChar, '/')));
					Files.copy(file, out);
					out.closeEntry();
				}
			}
			entries.add(jar.toString());
		}
		return String.join(File.pathSeparator, entries);
	}

}
