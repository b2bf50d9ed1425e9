# frozen_string_literal: true
#
# Runs exactly one job from a queue with a real Resque::Worker (registration,
# heartbeat, fork per job, failure backend: all Resque's own code), then
# unregisters, and prints a JSON report. Used by run_java_payload.rb and
# run_activejob_payload.rb.
#
# Options (after the queue name):
#   --push FILE   first RPUSH the exact bytes of FILE to the queue (and SADD queues)
#   --all         drain the queue (Resque::Worker#work(0)) instead of one job
# Environment:
#   REDIS_URL     default redis://127.0.0.1:6390/0 (nothing is flushed)
#   RESQUE_NAMESPACE  default "resque"
#   SKIP_PRUNE=1  do not prune dead workers at start-up. A Ruby worker that
#                 starts prunes workers of the same host that it thinks are
#                 dead, which can unregister live Java workers.
#   FORK_PER_JOB=false  Resque's own switch, honoured by the worker
# Exit status: 0 job(s) ran without failure, 1 a failure was recorded,
# 2 the queue was empty, 64 usage error.

require "json"
require "redis"
require "redis-namespace"

module Interop
  module OneJob
    module_function

    def usage!(script)
      warn "usage: #{script} QUEUE [--push FILE] [--all]"
      exit 64
    end

    def run(argv, script:)
      queue = argv.shift
      usage!(script) if queue.nil? || queue.start_with?("-")
      push = nil
      all = false
      until argv.empty?
        case (a = argv.shift)
        when "--push" then push = argv.shift || usage!(script)
        when "--all" then all = true
        else usage!(script)
        end
      end

      url = ENV.fetch("REDIS_URL", "redis://127.0.0.1:6390/0")
      ns = ENV.fetch("RESQUE_NAMESPACE", "resque")
      Resque.redis = Redis::Namespace.new(ns, redis: Redis.new(url: url))
      raw = Redis.new(url: url)

      if push
        raw.call("SADD", "#{ns}:queues", queue)
        raw.rpush("#{ns}:queue:#{queue}", File.binread(push))
      end
      head = raw.lindex("#{ns}:queue:#{queue}", 0)
      if head.nil?
        puts JSON.pretty_generate("queue" => queue, "result" => "queue empty")
        exit 2
      end
      yield head if block_given? # e.g. define the job class on the fly

      failed_before = raw.llen("#{ns}:failed")
      worker = Resque::Worker.new(queue)
      worker.define_singleton_method(:prune_dead_workers) { nil } if ENV["SKIP_PRUNE"] == "1"
      if all
        worker.work(0)
      else
        worker.startup
        worker.work_one_job
        worker.unregister_worker
      end
      failures = raw.lrange("#{ns}:failed", failed_before, -1)
      report = { "queue" => queue, "worker" => worker.to_s, "payload" => head,
                 "result" => failures.empty? ? "ok" : "failed",
                 "failures" => failures.map { |f| JSON.parse(f) },
                 "performed" => raw.lrange("interop:performed", 0, -1).map { |s| JSON.parse(s) } }
      puts JSON.pretty_generate(report)
      exit(failures.empty? ? 0 : 1)
    end
  end
end
