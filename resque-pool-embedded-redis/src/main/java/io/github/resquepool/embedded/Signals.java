package io.github.resquepool.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends POSIX signals to child processes. Java can only send {@code SIGTERM} and
 * {@code SIGKILL} ({@link Process#destroy()} and {@link Process#destroyForcibly()}), so
 * {@code SIGSTOP} and {@code SIGCONT}, which fault-injection tests use to freeze a
 * process, go through the {@code kill} command of the system shell.
 */
final class Signals {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration STATE_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration STATE_POLL = Duration.ofMillis(5);

	private Signals() {
	}

	/**
	 * Freezes the process ({@code SIGSTOP}) and waits until the kernel reports it
	 * stopped.
	 */
	static void stop(long pid) {
		send(pid, "STOP");
		awaitStopped(pid, true);
	}

	/**
	 * Lets a frozen process go on ({@code SIGCONT}) and waits until the kernel reports it
	 * running.
	 */
	static void resume(long pid) {
		send(pid, "CONT");
		awaitStopped(pid, false);
	}

	/**
	 * Sends the named signal, such as {@code STOP}, with {@code kill -<signal> <pid>}.
	 * @throws IllegalStateException when {@code kill} fails, for example because the
	 * process is gone
	 */
	static void send(long pid, String signal) {
		// "sh -c" rather than a kill binary: the shell's built-in kill exists wherever sh
		// does.
		ProcessBuilder builder = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid)
			.redirectErrorStream(true);
		try {
			Process kill = builder.start();
			kill.getOutputStream().close();
			if (!kill.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				kill.destroyForcibly();
				throw new IllegalStateException(
						"kill -" + signal + " " + pid + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
			}
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed with exit code "
						+ kill.exitValue() + (output.isEmpty() ? "" : ": " + output));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"Cannot run kill -" + signal + " " + pid + " (needs a POSIX shell): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + pid, ex);
		}
	}

	/**
	 * Waits until {@code /proc/<pid>/stat} shows the process stopped (state {@code T}) or
	 * not. A signal is delivered asynchronously, and a test that freezes a server and
	 * then expects a timeout must not race the kernel. Where there is no {@code /proc}
	 * (macOS) it returns at once.
	 */
	private static void awaitStopped(long pid, boolean stopped) {
		Path stat = Paths.get("/proc", Long.toString(pid), "stat");
		if (!Files.isDirectory(Paths.get("/proc", "self"))) {
			return;
		}
		Eventually.within(STATE_TIMEOUT)
			.pollingEvery(STATE_POLL)
			.until("process " + pid + " to become " + (stopped ? "stopped" : "running"), () -> {
				Character state = state(stat);
				// gone: nothing left to wait for
				return state == null || (state == 'T' || state == 't') == stopped;
			});
	}

	/**
	 * The state letter of /proc/pid/stat: the first field after the parenthesised command
	 * name.
	 */
	private static Character state(Path stat) {
		try {
			String text = Files.readString(stat, StandardCharsets.ISO_8859_1);
			int close = text.lastIndexOf(')');
			return (close < 0 || close + 2 >= text.length()) ? null : text.charAt(close + 2);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
