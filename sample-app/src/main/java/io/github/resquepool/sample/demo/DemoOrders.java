package io.github.resquepool.sample.demo;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.job.ResqueJob;

/**
 * Saves an order and enqueues its confirmation in one transaction. With the outbox on
 * ({@code resque.pool.client.outbox.enabled}) the enqueue is a row of the same
 * transaction: the confirmation is sent for every committed order, even when Redis is
 * down at the commit, and never for a rolled-back one.
 */
@Service
public class DemoOrders {

	private final JdbcTemplate jdbc;

	private final ResqueClient resque;

	public DemoOrders(JdbcTemplate jdbc, ResqueClient resque) {
		this.jdbc = jdbc;
		this.resque = resque;
	}

	/**
	 * Saves an order and enqueues {@code Mailers::OrderConfirmation} for it.
	 * @param customer who orders
	 * @param cents the amount
	 * @param failAfterEnqueue whether the transaction fails after the enqueue (it then
	 * rolls back, and no confirmation is ever sent)
	 * @return the order's id
	 */
	@Transactional
	public long place(String customer, long cents, boolean failAfterEnqueue) {
		GeneratedKeyHolder key = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO demo_order (customer, cents) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS);
			insert.setString(1, customer);
			insert.setLong(2, cents);
			return insert;
		}, key);
		long id = key.getKey().longValue();
		this.resque.enqueue("mail", "Mailers::OrderConfirmation", id);
		if (failAfterEnqueue) {
			throw new OrderFailedException("order " + id + " failed after its confirmation was enqueued");
		}
		return id;
	}

	/**
	 * Sends the confirmation of an order (here: marks it confirmed).
	 * @param orderId the order
	 */
	@ResqueJob("Mailers::OrderConfirmation")
	public void confirm(long orderId) {
		this.jdbc.update("UPDATE demo_order SET confirmed_at = CURRENT_TIMESTAMP WHERE id = ?", orderId);
	}

	/**
	 * @param id an order's id
	 * @return the order, if it was committed
	 */
	public Optional<Map<String, Object>> find(long id) {
		return this.jdbc.queryForList("SELECT id, customer, cents, confirmed_at FROM demo_order WHERE id = ?", id)
			.stream()
			.findFirst();
	}

	/** Thrown by a demo order asked to fail: its transaction rolls back. */
	static class OrderFailedException extends RuntimeException {

		OrderFailedException(String message) {
			super(message);
		}

	}

}
