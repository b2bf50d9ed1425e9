-- Resque.remove_queue, only for a queue: its key holds a list, or is absent while the queues set names it.
-- UNLINK frees the list's memory off Redis's main thread.
-- ARGV: 1 prefix, 2 queue
-- Answers the jobs dropped, -1 for no such queue, -2 for a key that holds something else than a list.
local key = P .. 'queue:' .. ARGV[2]
local kind = redis.call('TYPE', key)['ok']
if kind ~= 'list' and kind ~= 'none' then return -2 end
local member = redis.call('SISMEMBER', P .. 'queues', ARGV[2])
if kind == 'none' and member == 0 then return -1 end
local size = 0
if kind == 'list' then
  size = redis.call('LLEN', key)
  redis.call('UNLINK', key)
end
redis.call('SREM', P .. 'queues', ARGV[2])
return size
