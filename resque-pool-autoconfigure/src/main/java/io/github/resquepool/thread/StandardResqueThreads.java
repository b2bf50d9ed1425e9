package io.github.resquepool.thread;

/**
 * Threads as the JDK's builders make them.
 */
final class StandardResqueThreads implements ResqueThreads {

	static final StandardResqueThreads INSTANCE = new StandardResqueThreads();

	private StandardResqueThreads() {
	}

	@Override
	public Thread platform(String name, boolean daemon, Runnable task) {
		return Thread.ofPlatform().name(name).daemon(daemon).unstarted(task);
	}

	@Override
	public Thread virtual(String name, Runnable task) {
		return Thread.ofVirtual().name(name).unstarted(task);
	}

}
