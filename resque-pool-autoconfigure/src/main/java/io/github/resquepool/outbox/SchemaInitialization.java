package io.github.resquepool.outbox;

/**
 * When the outbox creates its table ({@code resque.pool.client.outbox.initialize-schema},
 * as {@code spring.batch.jdbc.initialize-schema}).
 */
public enum SchemaInitialization {

	/** Only on an embedded database in memory (H2, HSQLDB, Derby). */
	EMBEDDED,

	/** On any database of a kind it has a schema for, unless the table exists. */
	ALWAYS,

	/** Never: the application's migrations create it. */
	NEVER

}
