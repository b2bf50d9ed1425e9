-- Register workers as Ruby does at start-up, with a first heartbeat from Redis TIME, and record them in
-- the pool's own set. ARGV: 1 prefix, 2 pool id, 3 started (Time#to_s), 4.. worker ids
local beat = iso_now()
for i = 4, #ARGV do
  local id = ARGV[i]
  redis.call('HSET', P .. 'workers:heartbeat', id, beat)
  redis.call('SADD', P .. 'workers', id)
  redis.call('SET', P .. 'worker:' .. id .. ':started', ARGV[3])
  redis.call('SADD', P .. 'resquepool:pool:' .. ARGV[2] .. ':workers', id)
end
return beat
