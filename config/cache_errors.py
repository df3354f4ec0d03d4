"""What Django's cache raises when the shared cache cannot be reached (Redis down, a network
fault): the rate limits (config.ratelimit) and the content cache (campaign.content_cache) catch
these and carry on without it."""

from redis.exceptions import RedisError

UNREACHABLE = (RedisError, OSError)
