# frozen_string_literal: true
#
# Driver for the Java tests that run the real resque-scheduler gem as a peer of the pool
# (resque-pool-autoconfigure's RubySchedulerPeerTests). Our own code; no gem code.
#
#   RESQUE_LIB=... RESQUE_SCHEDULER_LIB=... REDIS_URL=redis://127.0.0.1:PORT/0 \
#     ruby interop/ruby/scheduler_peer.rb COMMAND [ARGS]
#
# Commands:
#   enqueue_at QUEUE SECONDS N   Resque.enqueue_at_with_queue(QUEUE, now + SECONDS, "Peer::Job", i, "é/x", 1.0e-05, {"n"=>i})
#                                for i in 0...N; prints one JSON line per item: {"job": <the bytes Resque.push would
#                                write for it>} (what a scheduler must put into queue:QUEUE)
#   scheduler                    execs the real resque-scheduler CLI (exe/resque-scheduler) on REDIS_URL, with
#                                RESQUE_SCHEDULER_INTERVAL (default 0.5) and LOCK_TIMEOUT (default 5) from the
#                                environment; it runs until it is sent TERM (graceful: releases the lock) or KILL
#   delayed? QUEUE CLASS ARGS_JSON  prints {"delayed": Resque.delayed?-style answer for that queue's item,
#                                "scheduled_at": [...]} using Ruby's own encoder

require_relative "common"
Interop.need_resque!
sched_lib = Interop.need_scheduler!
require "resque"
require "resque-scheduler"
Resque.redis = Redis.new(url: Interop.redis_url)

command = ARGV.shift
case command
when "enqueue_at"
  queue, seconds, count = ARGV[0], Float(ARGV[1]), Integer(ARGV[2])
  at = Time.now + seconds
  count.times do |i|
    args = [i, "é/x", 1.0e-05, { "n" => i }]
    Resque.enqueue_at_with_queue(queue, at, "Peer::Job", *args)
    puts JSON.generate({ "job" => Resque.encode(class: "Peer::Job", args: args) })
  end
when "scheduler"
  env = { "REDIS_URL" => Interop.redis_url,
          "RESQUE_SCHEDULER_INTERVAL" => ENV.fetch("RESQUE_SCHEDULER_INTERVAL", "0.5"),
          "LOCK_TIMEOUT" => ENV.fetch("LOCK_TIMEOUT", "5"), "VERBOSE" => "true" }
  $stdout.puts "SCHEDULER #{Process.pid}"
  $stdout.flush
  exec(env, RbConfig.ruby, "-I", ENV["RESQUE_LIB"], "-I", sched_lib,
       File.join(sched_lib, "..", "exe", "resque-scheduler"),
       "-I", File.expand_path("scheduler_init.rb", __dir__))
when "delayed?"
  queue, klass, args = ARGV[0], ARGV[1], JSON.parse(ARGV[2])
  item = Resque.encode(class: klass, args: args, queue: queue)
  puts JSON.generate({ "item" => item, "timestamps" => Resque.redis.smembers("timestamps:#{item}"),
                       "removed" => ENV["REMOVE"] ? Resque.remove_delayed_in_queue(klass, queue, *args) : nil })
else
  abort "usage: scheduler_peer.rb enqueue_at QUEUE SECONDS N | scheduler | delayed? QUEUE CLASS ARGS_JSON"
end
