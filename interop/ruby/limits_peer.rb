# frozen_string_literal: true
#
# Driver of the Java test LimitsRubyInteropTests: Ruby's side of a queue that a
# Java pool with fleet limits (@ResqueLimit, resque.pool.queue-limits) or unique
# jobs (@ResqueUnique) shares with Ruby. Prints one JSON document on stdout.
#
#   REDIS_URL=redis://127.0.0.1:6390/0 RESQUE_LIB=/tmp/gems/resque/lib \
#     ruby interop/ruby/limits_peer.rb enqueue QUEUE CLASS ARG_LISTS_JSON [--job-create]
#     ruby interop/ruby/limits_peer.rb view QUEUE...
#
# enqueue  one Resque.enqueue(klass, *args) per argument list of ARG_LISTS_JSON
#          (a JSON array of arrays), klass defined on the fly with @queue = QUEUE
#          when Ruby lacks it; with --job-create, Resque::Job.create(QUEUE,
#          "CLASS", *args) instead. Reports the exact bytes Resque handed to
#          RPUSH ("written", in order) and what each call returned.
# view     what Ruby's public API says about the given queues and the workers:
#          Resque.info, Resque.queues, Resque.size, Resque.peek (decoded), the
#          raw queue elements, Resque.workers (id, host, pid, queues, state,
#          job), Resque.working, Resque::Failure.count, and every key of the
#          namespace that is not one of Resque's own, with its type and the size
#          resque-web's Stats > Keys page shows (Resque::ServerHelper).
# Nothing is flushed. Exit 0, or 64 on a usage error.

require_relative "common"
Interop.need_resque!
require "resque"
require "resque/server_helper"

module Interop
  module LimitsPeer
    module_function

    # Resque's own keys (wire contract): anything else in the namespace belongs to
    # someone else.
    RESQUE_KEY = /\A(queues|queue:.+|workers|worker:.+|workers:heartbeat|stat:.+|failed|
                    pause-all-workers|pruning_dead_workers_in_progress)\z/x

    def usage!
      warn "usage: #{$PROGRAM_NAME} enqueue QUEUE CLASS ARG_LISTS_JSON [--job-create] | view QUEUE..."
      exit 64
    end

    def connect!
      Resque.redis = Redis::Namespace.new(ENV.fetch("RESQUE_NAMESPACE", "resque"), redis: Redis.new(url: Interop.redis_url))
    end

    def define_class(name, queue)
      owner = Object
      parts = name.split("::")
      parts[0..-2].each do |mod|
        owner = owner.const_defined?(mod, false) ? owner.const_get(mod, false) : owner.const_set(mod, Module.new)
      end
      return owner.const_get(parts.last, false) if owner.const_defined?(parts.last, false)

      klass = Class.new { define_singleton_method(:perform) { |*_args| nil } }
      klass.instance_variable_set(:@queue, queue)
      owner.const_set(parts.last, klass)
    end

    def enqueue(argv)
      queue, name, lists, flag = argv
      usage! if lists.nil? || !(flag.nil? || flag == "--job-create")
      written = []
      recorder = Module.new do
        define_method(:push_to_queue) do |q, item|
          written << { "queue" => q, "bytes" => item }
          super(q, item)
        end
      end
      Resque.data_store.singleton_class.prepend(recorder)
      klass = define_class(name, queue)
      returned = JSON.parse(lists).map do |args|
        result = flag ? Resque::Job.create(queue, name, *args) : Resque.enqueue(klass, *args)
        result.inspect
      end
      { "api" => flag ? "Resque::Job.create" : "Resque.enqueue", "written" => written, "returned" => returned }
    end

    class KeySizes
      include Resque::ServerHelper
    end

    def view(queues)
      usage! if queues.empty?
      sizes = KeySizes.new
      foreign = Resque.keys.sort.reject { |k| k.match?(RESQUE_KEY) }.to_h do |k|
        [k, { "type" => Resque.redis.type(k), "size" => sizes.redis_get_size(k) }]
      end
      {
        "info" => Resque.info.transform_keys(&:to_s),
        "queues" => Resque.queues.sort,
        "size" => queues.to_h { |q| [q, Resque.size(q)] },
        "peek" => queues.to_h { |q| [q, Resque.peek(q, 0, 100)] },
        "raw" => queues.to_h { |q| [q, Resque.redis.lrange("queue:#{q}", 0, -1)] },
        "workers" => Resque.workers.sort_by(&:to_s).map do |w|
          { "id" => w.to_s, "hostname" => w.hostname, "pid" => w.pid, "queues" => w.queues,
            "state" => w.state.to_s, "exists" => Resque::Worker.exists?(w.to_s), "job" => w.job }
        end,
        "working" => Resque.working.sort_by(&:to_s).map { |w| { "id" => w.to_s, "job" => w.job(false) } },
        "failed" => Resque::Failure.count,
        "processed" => Resque::Stat[:processed],
        "foreign_keys" => foreign
      }
    end
  end
end

command = ARGV.shift
Interop::LimitsPeer.connect!
report = case command
         when "enqueue" then Interop::LimitsPeer.enqueue(ARGV)
         when "view" then Interop::LimitsPeer.view(ARGV)
         else Interop::LimitsPeer.usage!
         end
puts JSON.pretty_generate(report)
