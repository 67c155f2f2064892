#pragma once

// Private to core/net: the one way our .cpp files include Asio and Beast. Boost 1.74's
// asio/awaitable.hpp forgets <utility>, so it comes first here, once, for every includer.

#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace hostsec::net {

// Short names, as in the Beast examples; `net` is taken by our own namespace.
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

} // namespace hostsec::net
