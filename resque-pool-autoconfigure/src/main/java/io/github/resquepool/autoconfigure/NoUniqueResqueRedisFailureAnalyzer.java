package io.github.resquepool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says how to choose Resque's Redis when the application has several connection
 * factories.
 */
class NoUniqueResqueRedisFailureAnalyzer extends AbstractFailureAnalyzer<NoUniqueResqueRedisException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, NoUniqueResqueRedisException cause) {
		String description = "resque-pool found " + cause.getBeanNames().size()
				+ " RedisConnectionFactory beans and none is chosen for Resque: "
				+ String.join(", ", cause.getBeanNames());
		String action = """
				Choose Resque's Redis in one of these ways:
				    - annotate the @Bean method of the factory Resque uses with @ResqueRedisConnectionFactory
				      (io.github.resquepool.autoconfigure.ResqueRedisConnectionFactory),
				    - mark one factory @Primary, or
				    - give Resque a Redis of its own with resque.redis.url.""";
		return new FailureAnalysis(description, action, cause);
	}

}
