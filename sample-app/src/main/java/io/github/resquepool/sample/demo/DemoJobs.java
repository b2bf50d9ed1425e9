package io.github.resquepool.sample.demo;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.sample.jobs.ReportRequest;

/**
 * Enqueues a realistic mix of demo jobs through {@link ResqueClient}, in a fixed cycle of
 * ten: three e-mails ({@code mail}), three charges ({@code critical}, one of them with a
 * negative amount, so it fails), three image resizes ({@code default}) and one report
 * ({@code reports}).
 */
@Component
public class DemoJobs {

	/** The queues the demo jobs go to. */
	public static final List<String> QUEUES = List.of("critical", "mail", "reports", "default");

	private static final List<String> LOCALES = List.of("en", "de", "fr", "es", "pt-BR", "ja");

	private static final List<String> REPORTS = List.of("sales", "usage", "invoices");

	private static final List<String> FORMATS = List.of("webp", "jpeg", "png");

	private final ResqueClient resque;

	public DemoJobs(ResqueClient resque) {
		this.resque = resque;
	}

	/**
	 * Enqueues {@code count} jobs.
	 * @param count how many
	 * @return how many went to each queue
	 */
	public Map<String, Integer> enqueue(int count) {
		Map<String, Integer> perQueue = new TreeMap<>();
		for (int i = 0; i < count; i++) {
			String queue = enqueueOne(i);
			perQueue.merge(queue, 1, Integer::sum);
		}
		return perQueue;
	}

	private String enqueueOne(int index) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long userId = random.nextLong(1000, 100_000);
		String account = "acct_" + random.nextInt(1000, 10_000);
		return switch (index % 10) {
			case 0, 4, 8 -> enqueue("mail", "Mailers::Welcome", userId, pick(LOCALES));
			case 1, 6 -> enqueue("critical", "Billing::Charge", account, random.nextLong(100, 50_000));
			// A refund sent to the wrong job: fails with IllegalArgumentException.
			case 7 -> enqueue("critical", "Billing::Charge", account, -random.nextLong(100, 5_000));
			case 3 -> {
				LocalDate to = LocalDate.now().withDayOfMonth(1).minusDays(1);
				yield enqueue("reports", "Reports::Build", new ReportRequest(pick(REPORTS), userId,
						to.withDayOfMonth(1), to, random.nextBoolean() ? "pdf" : "csv"));
			}
			default -> enqueue("default", "Images::Resize", "https://cdn.example.com/uploads/" + userId + "/photo.jpg",
					Map.of("width", 200 * random.nextInt(1, 9), "format", pick(FORMATS)));
		};
	}

	private String enqueue(String queue, String className, Object... args) {
		this.resque.enqueue(queue, className, args);
		return queue;
	}

	private static String pick(List<String> values) {
		return values.get(ThreadLocalRandom.current().nextInt(values.size()));
	}

}
