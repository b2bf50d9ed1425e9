package io.github.resquepool.sample.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.client.ResqueFailures;

/**
 * Enqueues demo jobs and shows the queues, for the operator (the dev profile's password
 * here):
 * {@code curl -u ops:ops-dev-password -X POST 'localhost:8080/demo/enqueue?count=100'}
 * and {@code curl -u ops:ops-dev-password localhost:8080/demo/queues}.
 */
@RestController
@RequestMapping("/demo")
public class DemoController {

	/** The rows of a demo import: a minute of work at 100 ms a row. */
	private static final int IMPORT_ROWS = 600;

	/** The most jobs one request may enqueue. */
	public static final int MAX_COUNT = 10_000;

	private final DemoJobs demoJobs;

	private final ResqueClient resque;

	private final ResqueFailures failures;

	public DemoController(DemoJobs demoJobs, ResqueClient resque, ResqueFailures failures) {
		this.demoJobs = demoJobs;
		this.resque = resque;
		this.failures = failures;
	}

	/**
	 * Enqueues a mix of jobs.
	 * @param count how many, 1 to {@value #MAX_COUNT}
	 * @return how many went to each queue
	 */
	@PostMapping("/enqueue")
	public Map<String, Object> enqueue(@RequestParam(defaultValue = "10") String count) {
		int jobs = parseCount(count);
		Map<String, Integer> perQueue = this.demoJobs.enqueue(jobs);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("enqueued", jobs);
		body.put("queues", perQueue);
		return body;
	}

	/**
	 * Enqueues one long import, {@code Imports::Rows}, of 600 rows (a minute of work)
	 * that checkpoints after each row.
	 * @param file the file's name, which names the job (its class and arguments)
	 * @return what was enqueued
	 */
	@PostMapping("/import")
	public Map<String, Object> startImport(@RequestParam(defaultValue = "customers.csv") String file) {
		if (file.isBlank() || file.length() > 100 || file.chars().anyMatch(Character::isISOControl)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"file must be a name of 1 to 100 characters without control characters");
		}
		this.resque.enqueue("imports", "Imports::Rows", file, IMPORT_ROWS);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("enqueued", "Imports::Rows");
		body.put("file", file);
		body.put("rows", IMPORT_ROWS);
		return body;
	}

	/**
	 * @return the number of jobs waiting in each queue, and the number of failed jobs
	 */
	@GetMapping("/queues")
	public Map<String, Object> queues() {
		Map<String, Long> sizes = new TreeMap<>();
		for (String queue : this.resque.queues()) {
			sizes.put(queue, this.resque.size(queue));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("queues", sizes);
		body.put("failed", this.failures.count());
		return body;
	}

	@ExceptionHandler(InvalidCountException.class)
	ProblemDetail invalidCount(InvalidCountException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid count");
		return problem;
	}

	private static int parseCount(String count) {
		int value;
		try {
			value = Integer.parseInt(count.trim());
		}
		catch (NumberFormatException ex) {
			throw new InvalidCountException(count);
		}
		if (value < 1 || value > MAX_COUNT) {
			throw new InvalidCountException(count);
		}
		return value;
	}

	static class InvalidCountException extends RuntimeException {

		InvalidCountException(String count) {
			super("count must be a whole number from 1 to " + MAX_COUNT + ", not '" + count + "'");
		}

	}

}
