package io.github.resquepool.outbox;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import io.github.resquepool.client.OutboxJob;

/**
 * The table {@code resque_outbox} of the application's database, through a
 * {@link JdbcTemplate} on its {@code DataSource}: an insert joins the caller's
 * transaction (the template takes the transaction's connection), every other statement
 * runs on its own. A row is claimed by one outbox at a time ({@code claimed_by} until
 * {@code claimed_until}, epoch milliseconds of the claimer's clock); a claim that ran out
 * may be taken by another.
 */
final class OutboxTable {

	/** The table's name. */
	static final String TABLE = "resque_outbox";

	private static final String INSERT = "INSERT INTO " + TABLE
			+ " (token, created_at, queue_name, class_name, delayed_until, payload, lock_name, lock_ttl_ms,"
			+ " attempts, claimed_by, claimed_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";

	private static final String EXPIRED = "SELECT token, queue_name, class_name, delayed_until, payload, lock_name,"
			+ " lock_ttl_ms FROM " + TABLE + " WHERE claimed_until < ? ORDER BY id";

	private static final String CLAIM = "UPDATE " + TABLE
			+ " SET claimed_by = ?, claimed_until = ? WHERE token = ? AND claimed_until < ?";

	/** The most tokens in one {@code IN} list. */
	private static final int CHUNK = 100;

	private final JdbcTemplate jdbc;

	private final String owner;

	/**
	 * @param dataSource the application's database
	 * @param owner the name this outbox claims rows under
	 */
	OutboxTable(DataSource dataSource, String owner) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.owner = owner;
	}

	/**
	 * Inserts a row, in the current transaction if there is one on the data source,
	 * claimed by this outbox until {@code claimedUntil}.
	 * @param token the row's token
	 * @param job the job
	 * @param now the time, epoch milliseconds
	 * @param claimedUntil until when this outbox holds it, epoch milliseconds
	 */
	void insert(String token, OutboxJob job, long now, long claimedUntil) {
		this.jdbc.update(INSERT, token, now, job.queue(), job.className(), job.delayed() ? job.bucket() : null,
				job.payload(), job.lockName(), (job.lockName() != null) ? job.lockTtlMillis() : null, this.owner,
				claimedUntil);
	}

	/**
	 * Claims rows nobody holds (never claimed, or claimed by an outbox whose claim ran
	 * out: a dead JVM, a stopped context), oldest first.
	 * @param now the time, epoch milliseconds
	 * @param claimedUntil until when this outbox holds them
	 * @param limit the most rows to claim
	 * @return the rows claimed, oldest first
	 */
	List<OutboxRow> claimExpired(long now, long claimedUntil, int limit) {
		List<OutboxRow> candidates = this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement(EXPIRED);
			statement.setMaxRows(limit);
			statement.setLong(1, now);
			return statement;
		}, (rs, n) -> {
			long bucket = rs.getLong("delayed_until");
			boolean delayed = !rs.wasNull();
			long lockTtl = rs.getLong("lock_ttl_ms");
			return new OutboxRow(rs.getString("token"),
					new OutboxJob(rs.getString("queue_name"), rs.getString("class_name"), delayed, bucket,
							rs.getString("payload"), rs.getString("lock_name"), lockTtl));
		});
		List<OutboxRow> claimed = new ArrayList<>(candidates.size());
		for (OutboxRow row : candidates) {
			if (this.jdbc.update(CLAIM, this.owner, claimedUntil, row.token(), now) == 1) {
				claimed.add(row);
			}
		}
		return claimed;
	}

	/**
	 * Extends this outbox's claim of rows and counts a failed attempt on them.
	 * @param tokens the rows
	 * @param claimedUntil until when this outbox holds them
	 * @param failed whether an attempt to deliver them failed
	 * @return the tokens of those still claimed by this outbox (another may have taken a
	 * row whose claim ran out, or delivered and deleted it)
	 */
	List<String> renew(List<String> tokens, long claimedUntil, boolean failed) {
		List<String> held = new ArrayList<>(tokens.size());
		for (List<String> chunk : chunks(tokens)) {
			String sql = "UPDATE " + TABLE + " SET claimed_until = ?" + (failed ? ", attempts = attempts + 1" : "")
					+ " WHERE claimed_by = ? AND token IN (" + placeholders(chunk.size()) + ")";
			int updated = this.jdbc.update(sql, arguments(claimedUntil, chunk));
			if (updated == chunk.size()) {
				held.addAll(chunk);
			}
			else {
				held.addAll(this.jdbc.queryForList("SELECT token FROM " + TABLE + " WHERE claimed_by = ? AND token IN ("
						+ placeholders(chunk.size()) + ")", String.class, arguments(null, chunk)));
			}
		}
		return held;
	}

	/**
	 * Deletes delivered rows this outbox still holds.
	 * @param tokens the rows
	 * @return whether every one of them was deleted by this call
	 */
	boolean delete(List<String> tokens) {
		boolean all = true;
		for (List<String> chunk : chunks(tokens)) {
			int deleted = this.jdbc.update(
					"DELETE FROM " + TABLE + " WHERE claimed_by = ? AND token IN (" + placeholders(chunk.size()) + ")",
					arguments(null, chunk));
			all &= deleted == chunk.size();
		}
		return all;
	}

	/**
	 * Counts the rows not delivered yet, whoever holds them.
	 * @return how many there are and when the oldest was written
	 */
	Backlog backlog() {
		return this.jdbc.queryForObject("SELECT COUNT(*), MIN(created_at) FROM " + TABLE, (rs, n) -> {
			long rows = rs.getLong(1);
			long oldest = rs.getLong(2);
			return new Backlog(rows, rs.wasNull() ? -1 : oldest);
		});
	}

	/**
	 * Gives up this outbox's claim of rows, so that any outbox takes them at its next
	 * poll.
	 * @param tokens the rows
	 */
	void release(List<String> tokens) {
		for (List<String> chunk : chunks(tokens)) {
			this.jdbc.update("UPDATE " + TABLE + " SET claimed_until = 0 WHERE claimed_by = ? AND token IN ("
					+ placeholders(chunk.size()) + ")", arguments(null, chunk));
		}
	}

	/**
	 * Creates the table and its index unless they exist, with the schema of the
	 * database's kind (H2, PostgreSQL, MySQL or MariaDB).
	 * @throws IllegalStateException for a database of another kind
	 */
	void createSchema() {
		String platform = platform();
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ClassPathResource("schema-" + platform + ".sql", OutboxTable.class));
		populator.execute(this.jdbc.getDataSource());
	}

	/**
	 * @return whether the database is an embedded one, in memory (H2, HSQLDB, Derby), as
	 * Spring Boot tells them for {@code initialize-schema=embedded}
	 */
	boolean isEmbedded() {
		String url = metadata((md) -> md.getURL());
		if (url == null) {
			return false;
		}
		String lower = url.toLowerCase(Locale.ROOT);
		return lower.startsWith("jdbc:h2:mem:") || lower.startsWith("jdbc:hsqldb:mem:")
				|| lower.startsWith("jdbc:derby:memory:");
	}

	private String platform() {
		String product = metadata(DatabaseMetaData::getDatabaseProductName);
		String lower = (product != null) ? product.toLowerCase(Locale.ROOT) : "";
		if (lower.contains("h2")) {
			return "h2";
		}
		if (lower.contains("postgres")) {
			return "postgresql";
		}
		if (lower.contains("mysql") || lower.contains("mariadb")) {
			return "mysql";
		}
		throw new IllegalStateException(
				"There is no resque_outbox schema for " + product + ": create the table as docs/outbox.md shows and set"
						+ " resque.pool.client.outbox.initialize-schema=never");
	}

	private <T> T metadata(MetadataReader<T> reader) {
		return this.jdbc.execute((Connection connection) -> reader.read(connection.getMetaData()));
	}

	private static List<List<String>> chunks(List<String> tokens) {
		if (tokens.isEmpty()) {
			return Collections.emptyList();
		}
		List<List<String>> chunks = new ArrayList<>();
		for (int i = 0; i < tokens.size(); i += CHUNK) {
			chunks.add(tokens.subList(i, Math.min(tokens.size(), i + CHUNK)));
		}
		return chunks;
	}

	private static String placeholders(int n) {
		return String.join(", ", Collections.nCopies(n, "?"));
	}

	private Object[] arguments(Long claimedUntil, List<String> tokens) {
		List<Object> args = new ArrayList<>(tokens.size() + 2);
		if (claimedUntil != null) {
			args.add(claimedUntil);
		}
		args.add(this.owner);
		args.addAll(tokens);
		return args.toArray();
	}

	/**
	 * The rows not delivered yet.
	 *
	 * @param rows how many
	 * @param oldestCreatedAt when the oldest was written (epoch milliseconds of its
	 * writer's clock), or -1 when there is none
	 */
	record Backlog(long rows, long oldestCreatedAt) {

	}

	@FunctionalInterface
	private interface MetadataReader<T> {

		T read(DatabaseMetaData metadata) throws SQLException;

	}

}
