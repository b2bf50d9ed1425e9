package io.github.resquepool.autoconfigure;

import java.util.List;

/**
 * The application has several Redis connection factories and none is chosen for Resque.
 * Reported at start-up by {@link NoUniqueResqueRedisFailureAnalyzer}.
 */
public class NoUniqueResqueRedisException extends RuntimeException {

	private final List<String> beanNames;

	/**
	 * Creates the exception.
	 * @param beanNames the names of the connection factory beans
	 */
	public NoUniqueResqueRedisException(List<String> beanNames) {
		super("resque-pool cannot choose among " + beanNames.size() + " Redis connection factories: " + beanNames);
		this.beanNames = List.copyOf(beanNames);
	}

	/**
	 * @return the names of the connection factory beans
	 */
	public List<String> getBeanNames() {
		return this.beanNames;
	}

}
