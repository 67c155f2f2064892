#pragma once

// The agent's one way to include Asio. Boost 1.74's asio/awaitable.hpp forgets <utility>.
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
