package io.github.resquepool.embedded;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisStateMachine;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The Lettuce client and resources shared by all {@link RespClient}s: a few daemon
 * threads, created on first use and kept for the life of the JVM.
 *
 * <p>
 * Lettuce's RESP decoder (7.x) reports a simple string ({@code +OK}) through the same
 * callback as a bulk string, although {@link CommandOutput#setSingle(ByteBuffer)} exists
 * for it. This class must tell them apart ({@code "OK"} stays a {@code String} from
 * {@link RespClient#command(byte[]...)}), so every connection's decoder is replaced by
 * one that calls {@code setSingle}. That touches a private field of Lettuce's
 * {@link CommandHandler}; if a Lettuce upgrade breaks it, every new connection fails with
 * an {@link IllegalStateException} naming the cause, and this class's tests fail, rather
 * than replies changing type silently.
 */
final class SharedLettuceClient {

	/**
	 * Upper bound of Lettuce's own connect timeout; each client waits for its own,
	 * shorter, timeout.
	 */
	private static final Duration SOCKET_CONNECT_TIMEOUT = Duration.ofSeconds(60);

	private static final AtomicReference<Throwable> INSTALL_FAILURE = new AtomicReference<>();

	private static final Field STATE_MACHINE = stateMachineField();

	private static final ClientResources RESOURCES = DefaultClientResources.builder()
		.ioThreadPoolSize(2)
		.computationThreadPoolSize(1)
		.nettyCustomizer(new NettyCustomizer() {
			@Override
			public void afterChannelInitialized(Channel channel) {
				channel.pipeline().addLast("resp-client-simple-strings", new DecoderInstaller());
			}
		})
		.build();
	static final RedisClient CLIENT = createClient();

	private SharedLettuceClient() {
	}

	private static RedisClient createClient() {
		RedisClient client = RedisClient.create(RESOURCES);
		client.setOptions(ClientOptions.builder()
			.protocolVersion(ProtocolVersion.RESP2)
			.autoReconnect(false)
			.pingBeforeActivateConnection(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.maintNotificationsConfig(MaintNotificationsConfig.disabled())
			.timeoutOptions(TimeoutOptions.enabled())
			.socketOptions(SocketOptions.builder().connectTimeout(SOCKET_CONNECT_TIMEOUT).tcpNoDelay(true).build())
			.build());
		return client;
	}

	private static Field stateMachineField() {
		try {
			Field field = CommandHandler.class.getDeclaredField("rsm");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			INSTALL_FAILURE.compareAndSet(null, ex);
			return null;
		}
	}

	static void checkInstalled() {
		Throwable failure = INSTALL_FAILURE.get();
		if (failure != null) {
			throw new IllegalStateException("RespClient cannot adapt this Lettuce version's RESP decoder (it must tell"
					+ " simple strings from bulk strings): " + failure, failure);
		}
	}

	/**
	 * Swaps the decoder of the channel's CommandHandler once that handler has created it.
	 */
	private static final class DecoderInstaller extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
			// Let the rest of the pipeline register first: CommandHandler creates its
			// decoder there.
			ctx.fireChannelRegistered();
			try {
				CommandHandler handler = ctx.pipeline().get(CommandHandler.class);
				if (handler == null || STATE_MACHINE == null) {
					throw new IllegalStateException(
							"no CommandHandler or no decoder field in the pipeline " + ctx.pipeline().names());
				}
				RedisStateMachine previous = (RedisStateMachine) STATE_MACHINE.get(handler);
				STATE_MACHINE.set(handler, new SimpleStringStateMachine());
				if (previous != null) {
					previous.close();
				}
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				INSTALL_FAILURE.compareAndSet(null, ex);
				ctx.close();
			}
			ctx.pipeline().remove(this);
		}

	}

	/**
	 * Lettuce's decoder, except that simple strings reach
	 * {@link CommandOutput#setSingle(ByteBuffer)}.
	 */
	private static final class SimpleStringStateMachine extends RedisStateMachine {

		@Override
		protected void safeSetSingle(CommandOutput<?, ?, ?> output, ByteBuffer bytes,
				Consumer<Throwable> errorHandler) {
			try {
				output.setSingle(bytes);
			}
			catch (Exception ex) {
				errorHandler.accept(ex);
			}
		}

	}

}
