package io.github.resquepool.autoconfigure;

import java.util.function.IntConsumer;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;

import io.github.resquepool.pool.DryRun;

/**
 * Runs {@code --resque.pool.dry-run=true}: prints the workload the configuration would
 * run and exits with 0, without starting a worker (the pool bean is not created). An
 * invalid configuration never gets here: it fails the start with the usual report and a
 * non-zero exit.
 */
final class ResquePoolDryRunner implements ApplicationRunner {

	private final DryRun dryRun;

	private final ApplicationContext context;

	private final IntConsumer exit;

	ResquePoolDryRunner(DryRun dryRun, ApplicationContext context, IntConsumer exit) {
		this.dryRun = dryRun;
		this.context = context;
		this.exit = exit;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.dryRun.report().forEach(System.out::println);
		System.out.flush();
		this.exit.accept(SpringApplication.exit(this.context, () -> 0));
	}

}
