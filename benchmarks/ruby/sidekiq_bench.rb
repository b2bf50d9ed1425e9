# frozen_string_literal: true

# The Sidekiq reference of resque-pool's benchmarks, loaded by
#
#   REDIS_URL=redis://127.0.0.1:<port>/1 sidekiq -r sidekiq_bench.rb -c 16 -q bench
#
# (BenchmarkRunner starts it that way, on database 1 of the benchmark's Redis, so that no key
# clashes with Resque's). It speaks the runner's line protocol (see Control.java): commands on
# standard input, one a line; answers on standard output as lines starting with "@@ ".
#
#   expect N   the next N Bench::Noop jobs are one batch: "@@ done N <ns first start to last end>
#              <process CPU ns> 0 0 0" once the N-th ended (measured in this process, like the JVMs)
#   exit       graceful shutdown (SIGTERM to itself)
#
# "@@ registered <concurrency> <Sidekiq version>" once all processors wait for jobs (blocked in
# BRPOP). BenchPickup records its pick-up time in Redis ("<enqueued µs> <picked µs>" on the list
# bench:pickups), where the runner reads it. When standard input ends (the runner died), the
# process exits at once.

require "sidekiq"

# Debian's Sidekiq 6.4 calls BRPOP the way redis-rb 4.8 deprecates: a warning on stderr for every
# fetch would be most of the work of a no-op job.
Redis.silence_deprecations = true if Redis.respond_to?(:silence_deprecations=)

module ResquePoolBench
  PREFIX = "@@ "
  OUT = Mutex.new
  LOCK = Mutex.new

  @expected = nil
  @done = 0
  @first = nil
  @cpu_before = 0

  class << self
    def emit(*words)
      OUT.synchronize do
        $stdout.write(PREFIX + words.join(" ") + "\n")
        $stdout.flush
      end
    end

    def mono_ns
      Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
    end

    def cpu_ns
      Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :nanosecond)
    end

    def now_micros
      Process.clock_gettime(Process::CLOCK_REALTIME, :microsecond)
    end

    def expect(count)
      LOCK.synchronize do
        @done = 0
        @first = nil
        @cpu_before = cpu_ns
        @expected = count
      end
    end

    def started
      return if @first

      LOCK.synchronize { @first ||= mono_ns }
    end

    def finished
      done = LOCK.synchronize { @done += 1 }
      return unless done == @expected

      emit("done", done, mono_ns - @first, cpu_ns - @cpu_before, 0, 0, 0)
    end

    # Reads the runner's commands on a thread of its own.
    def serve
      Thread.new do
        while (line = $stdin.gets)
          words = line.strip.split(" ")
          next if words.empty?

          begin
            case words[0]
            when "expect"
              expect(Integer(words[1]))
            when "exit"
              emit("bye")
              Process.kill("TERM", Process.pid)
              next
            else
              raise ArgumentError, "unknown command #{line.strip}"
            end
            emit("ok", words[0])
          rescue StandardError => e
            emit("error", e.to_s.tr("\n", " "))
          end
        end
        exit!(3)
      end
    end

    # Emits "registered" once `concurrency` clients are blocked in Redis (the processors' BRPOP).
    def announce_when_waiting(concurrency)
      Thread.new do
        deadline = mono_ns + 120 * 1_000_000_000
        loop do
          blocked = Sidekiq.redis { |r| r.info("clients")["blocked_clients"].to_i }
          if blocked >= concurrency
            emit("registered", concurrency, Sidekiq::VERSION)
            break
          end
          if mono_ns > deadline
            emit("error", "only #{blocked} of #{concurrency} processors waiting after 2 minutes")
            break
          end
          sleep 0.0005
        end
      end
    end
  end
end

# Does nothing (Bench::Noop of the Resque side).
class BenchNoop
  include Sidekiq::Worker
  sidekiq_options retry: false

  def perform
    ResquePoolBench.started
    ResquePoolBench.finished
  end
end

# Records when it was picked up, next to when it was enqueued (epoch microseconds).
class BenchPickup
  include Sidekiq::Worker
  sidekiq_options retry: false

  def perform(enqueued_micros)
    picked = ResquePoolBench.now_micros
    Sidekiq.redis { |r| r.rpush("bench:pickups", "#{enqueued_micros} #{picked}") }
  end
end

Sidekiq.configure_server do |config|
  # Per-job INFO lines ("start", "done") would be most of the work of a no-op job; the JVMs log at WARN too.
  config.logger.level = Logger::WARN
  config.on(:startup) do
    ResquePoolBench.serve
    ResquePoolBench.announce_when_waiting(Sidekiq.options[:concurrency])
  end
end
