package io.github.resquepool.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildJvmTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final Path LOGS = Path.of("target", "child-jvms");

	@Test
	void passesArgumentsOptionsAndEnvironmentAndLogsBothStreams() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class)
			.args("echo", "a b", "c")
			.jvmOptions("-Dchild.test.property=from-option", "-Dchild.test.exit=3", "-Xmx64m")
			.env("CHILD_TEST_ENV", "from-env")
			.logDir(LOGS)
			.start()) {
			assertThat(child.waitFor(WAIT)).isEqualTo(3);

			assertThat(child.awaitLine("^args=", WAIT)).isEqualTo("args=a b,c");
			assertThat(child.awaitLine(Pattern.compile("property=(.*)"), WAIT)).isEqualTo("property=from-option");
			assertThat(child.log()).contains("env=from-env", "to stderr", "parent=" + ProcessHandle.current().pid());
			assertThat(child.logFile()).startsWith(LOGS.toAbsolutePath()).exists();
			assertThat(child.isAlive()).isFalse();
		}
	}

	@Test
	void awaitLineFailsWithTheLogTailWhenTheChildExitsWithoutTheLine() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class).args("echo", "x").logDir(LOGS).start()) {
			assertThatThrownBy(() -> child.awaitLine("never printed", WAIT)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("exited with code 0")
				.hasMessageContaining("args=x");
		}
	}

	@Test
	void awaitLineAndWaitForAreBoundedEvenWhileTheChildKeepsPrinting() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class).args("ticks").logDir(LOGS).start()) {
			child.awaitLine("tick 1", WAIT);

			assertThatThrownBy(() -> child.awaitLine("never printed", Duration.ofMillis(200)))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("within 200 ms")
				.hasMessageContaining("tick ");
			assertThatThrownBy(() -> child.waitFor(Duration.ofMillis(200))).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("did not exit");
			assertThat(child.isAlive()).isTrue();
		}
	}

	@Test
	void lineReaderReturnsEachLineOnceAndAnUnfinishedLineWhenTheChildExits() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class).args("unfinished-line").logDir(LOGS).start()) {
			ChildJvm.LineReader lines = child.lineReader();

			assertThat(lines.next(WAIT)).isEqualTo("first");
			assertThat(lines.next(Duration.ofMillis(100))).isNull();
			assertThat(lines.atEnd()).isFalse();
			assertThat(lines.next(WAIT)).isEqualTo("second, unfinished");
			assertThat(lines.next(Duration.ZERO)).isNull();
			assertThat(lines.atEnd()).isTrue();
			assertThat(child.lineReader().next(Duration.ZERO)).as("a new reader starts at the top").isEqualTo("first");
		}
	}

	@Test
	void sendWritesLinesToAChildStartedWithItsInputOpen() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class)
			.args("commands")
			.keepInputOpen()
			.logDir(LOGS)
			.start()) {
			ChildJvm.LineReader lines = child.lineReader();
			assertThat(lines.next(WAIT)).isEqualTo("ready");

			child.send("a");
			child.send("b c");

			assertThat(lines.next(WAIT)).isEqualTo("got a");
			assertThat(lines.next(WAIT)).isEqualTo("got b c");
			child.send("exit");
			assertThat(child.waitFor(WAIT)).isZero();
			assertThat(lines.next(WAIT)).isNull();
			assertThat(lines.atEnd()).isTrue();
		}
	}

	@Test
	void aChildStartedWithoutKeepInputOpenReadsEndOfFileAndCannotBeSentTo() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class).args("commands").logDir(LOGS).start()) {
			assertThat(child.waitFor(WAIT)).isEqualTo(5);
			assertThat(child.log()).contains("input closed");
			assertThatThrownBy(() -> child.send("a")).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("keepInputOpen");
		}
	}

	@Test
	void exitWithParentEndsAChildWhoseLifetimeIsOver() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class)
			.args("sleep")
			.lifetime(Duration.ofSeconds(1))
			.logDir(LOGS)
			.start()) {
			child.awaitLine("sleeping", WAIT);

			assertThat(child.waitFor(WAIT)).isEqualTo(ChildJvm.LIFETIME_OVER_EXIT_CODE);
			assertThat(child.log()).contains("Lifetime of 1000 ms is over");
		}
	}

	@Test
	void sigtermRunsShutdownHooks() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class).args("ticks").logDir(LOGS).start()) {
			child.awaitLine("tick 1", WAIT);

			child.sigterm();

			assertThat(child.waitFor(WAIT)).isEqualTo(143);
			assertThat(child.log()).contains("shutdown hook ran");
		}
	}

	@Test
	void killEndsTheChildWithoutShutdownHooks() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class).args("ticks").logDir(LOGS).start()) {
			child.awaitLine("tick 1", WAIT);

			child.kill();

			assertThat(child.isAlive()).isFalse();
			assertThat(child.waitFor(WAIT)).isEqualTo(137);
			assertThat(child.log()).doesNotContain("shutdown hook ran");
		}
	}

	@Test
	void aFrozenChildWritesNothingUntilItIsThawed() {
		try (ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class).args("ticks").logDir(LOGS).start()) {
			child.awaitLine("tick 1", WAIT);

			child.freeze();
			String frozenLog = child.log();
			EmbeddedRedisServerOptionsTests.sleep(300);

			assertThat(child.isFrozen()).isTrue();
			assertThat(child.isAlive()).isTrue();
			assertThat(child.log()).isEqualTo(frozenLog);

			child.thaw();

			assertThat(child.isFrozen()).isFalse();
			long ticksBefore = frozenLog.lines().count();
			child.awaitLine("tick " + (ticksBefore + 5), WAIT);
		}
	}

	@Test
	void closeKillsAFrozenChild() throws Exception {
		ChildJvm child = ChildJvm.builder(ChildJvmTestMain.class).args("sleep").logDir(LOGS).start();
		child.awaitLine("sleeping", WAIT);
		child.freeze();

		child.close();

		assertThat(child.isAlive()).isFalse();
		assertThat(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
	}

	@Test
	void aChildExitsWhenItsParentJvmIsKilled() throws Exception {
		try (ChildJvm parent = ChildJvm.builder(ChildJvmTestMain.class)
			.name("parent")
			.args("parent-of-sleeper", LOGS.toAbsolutePath().toString())
			.logDir(LOGS)
			.start()) {
			String line = parent.awaitLine("^grandchild \\d+$", WAIT);
			long grandchildPid = Long.parseLong(line.substring("grandchild ".length()));
			ProcessHandle grandchild = ProcessHandle.of(grandchildPid).orElseThrow();

			parent.kill(); // SIGKILL: no shutdown hook of the parent runs

			// Bounded: the grandchild polls its parent every 200 ms.
			grandchild.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(grandchild.isAlive()).isFalse();
		}
	}

	@Test
	void theShutdownHookStopsServersFrozenOrNotAndChildJvmsAndDeletesTemporaryFolders() {
		try (ChildJvm parent = ChildJvm.builder(ChildJvmTestMain.class)
			.name("parent")
			.args("exit-leaving-children", LOGS.toAbsolutePath().toString())
			.logDir(LOGS)
			.start()) {
			String[] pids = parent.awaitLine("^pids ", WAIT).split(" ");
			Path dataDir = Path.of(parent.awaitLine("^data ", WAIT).substring("data ".length()));

			assertThat(parent.waitFor(WAIT)).isZero();

			// Right after the parent's exit: the grandchild's own parent watch polls
			// every 200 ms, so only the hook can have ended it by now.
			for (int i = 1; i < pids.length; i++) {
				assertThat(ProcessHandle.of(Long.parseLong(pids[i])).map(ProcessHandle::isAlive).orElse(false))
					.as("process %s", pids[i])
					.isFalse();
			}
			assertThat(dataDir).doesNotExist();
		}
	}

	@Test
	void exitWithParentDoesNothingOutsideAChild() {
		ChildJvm.exitWithParent(); // this JVM has no parent-pid property: no watcher, no
									// exit
		assertThat(System.getProperty(ChildJvm.PARENT_PID_PROPERTY)).isNull();
	}

}
