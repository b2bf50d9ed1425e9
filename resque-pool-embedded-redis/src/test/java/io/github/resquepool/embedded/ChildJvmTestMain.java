package io.github.resquepool.embedded;

import java.time.Duration;

/** The child of {@link ChildJvmTests}: what it does is chosen by its first argument. */
public final class ChildJvmTestMain {

	private ChildJvmTestMain() {
	}

	/**
	 * Runs one mode.
	 * @param args the mode and its arguments
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		ChildJvm.exitWithParent();
		switch (args[0]) {
			case "echo" -> {
				// Arguments, a system property and an environment variable, one per line.
				System.out.println("args=" + String.join(",", java.util.List.of(args).subList(1, args.length)));
				System.out.println("property=" + System.getProperty("child.test.property"));
				System.out.println("env=" + System.getenv("CHILD_TEST_ENV"));
				System.err.println("to stderr");
				System.out.println("parent=" + System.getProperty(ChildJvm.PARENT_PID_PROPERTY));
				System.exit(Integer.parseInt(System.getProperty("child.test.exit", "0")));
			}
			case "ticks" -> {
				Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
				for (long i = 0;; i++) {
					System.out.println("tick " + i);
					Thread.sleep(10);
				}
			}
			case "sleep" -> {
				System.out.println("sleeping");
				Thread.sleep(Duration.ofMinutes(10).toMillis());
			}
			case "commands" -> {
				// Answers each line of its standard input; exits on "exit", or with 5 at
				// end-of-file.
				System.out.println("ready");
				java.io.BufferedReader in = new java.io.BufferedReader(
						new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
				for (String line = in.readLine(); line != null; line = in.readLine()) {
					if (line.equals("exit")) {
						System.exit(0);
					}
					System.out.println("got " + line);
				}
				System.out.println("input closed");
				System.exit(5);
			}
			case "unfinished-line" -> {
				// A complete line, then one without line separator that stays unfinished
				// until the exit.
				System.out.print("first\nsecond, unfinished");
				System.out.flush();
				Thread.sleep(2000);
			}
			case "parent-of-sleeper" -> {
				// Starts a grandchild that watches this JVM, then waits to be killed.
				ChildJvm grandchild = sleepingGrandchild(args[1]);
				System.out.println("grandchild " + grandchild.pid());
				Thread.sleep(Duration.ofMinutes(10).toMillis());
			}
			case "exit-leaving-children" -> {
				// Leaves a frozen server, a server with a temporary data folder and a
				// grandchild JVM running, and exits: the shutdown hook must clean up.
				EmbeddedRedisServer frozen = EmbeddedRedisServer.start();
				frozen.freeze();
				EmbeddedRedisServer persistent = EmbeddedRedisServer.builder().persistence().start();
				ChildJvm grandchild = sleepingGrandchild(args[1]);
				System.out.println("pids " + frozen.pid() + " " + persistent.pid() + " " + grandchild.pid());
				System.out.println("data " + persistent.dataDir().orElseThrow());
				System.exit(0);
			}
			default -> throw new IllegalArgumentException("Unknown mode " + args[0]);
		}
	}

	private static ChildJvm sleepingGrandchild(String logDir) {
		ChildJvm grandchild = ChildJvm.builder(ChildJvmTestMain.class)
			.name("grandchild")
			.args("sleep")
			.logDir(java.nio.file.Path.of(logDir))
			.start();
		grandchild.awaitLine("sleeping", Duration.ofSeconds(60));
		return grandchild;
	}

}
