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
