package io.github.resquepool.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

import io.github.resquepool.pool.ResquePoolEvent;
import io.github.resquepool.thread.ResqueThreads;

/**
 * Ends the application when its pool exceeded {@code resque.pool.memory-limit}: on a
 * thread of its own, it closes the context (the pool drains as on SIGTERM) and exits the
 * JVM with {@link #EXIT_STATUS}, so that Heroku, systemd or Kubernetes start a fresh
 * process. Replace the bean to do something else.
 */
public class MemoryLimitExit implements ApplicationListener<ResquePoolEvent.MemoryLimitExceeded> {

	/** The exit status: EX_TEMPFAIL, a temporary failure that a restart cures. */
	public static final int EXIT_STATUS = 75;

	private static final Log logger = LogFactory.getLog(MemoryLimitExit.class);

	private final ApplicationContext context;

	private final ResqueThreads threads;

	/**
	 * @param context the application's context
	 * @param threads makes the exit's thread
	 */
	public MemoryLimitExit(ApplicationContext context, ResqueThreads threads) {
		this.context = context;
		this.threads = threads;
	}

	@Override
	public void onApplicationEvent(ResquePoolEvent.MemoryLimitExceeded event) {
		this.threads.platform("resque-pool-exit", false, () -> {
			int status = SpringApplication.exit(this.context, () -> EXIT_STATUS);
			logger.error("Exiting with status " + status + ": " + event.getReason());
			System.exit(status);
		}).start();
	}

}
