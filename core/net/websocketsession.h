#pragma once

// Private to core/net: how the HTTP server session (server.cpp) hands an upgrade request to the
// WebSocket code (websocket.cpp), so that only websocket.cpp instantiates websocket::stream.

#include "net/asio.h"
#include "net/sessionregistry.h"
#include "net/tls.h"
#include "net/transport.h"

#include <memory>
#include <string>

namespace hostsec::net::Internal {

/// What the server knows about one upgrade it accepted.
struct ServerUpgrade
{
    Limits limits;
    std::shared_ptr<SessionRegistry> registry;
    WebSocketAccept accept; // onOpen and the callbacks
    std::string remote;
};

/// Answers the upgrade `request` on `stream` and runs the WebSocket session. Call it on the
/// stream's strand, with no operation pending on the stream. Stream is beast::tcp_stream or,
/// after the TLS handshake, TlsStream.
template <class Stream>
void acceptWebSocket(Stream stream, http::request<http::string_body> request,
                     ServerUpgrade upgrade);

extern template void acceptWebSocket<beast::tcp_stream>(beast::tcp_stream,
                                                        http::request<http::string_body>,
                                                        ServerUpgrade);
extern template void acceptWebSocket<TlsStream>(TlsStream, http::request<http::string_body>,
                                                ServerUpgrade);

} // namespace hostsec::net::Internal
