#pragma once

// Private to core/net: the OpenSSL context behind TlsContext and the few steps of a TLS
// connection that the server (server.cpp) and the clients (client.cpp, websocket.cpp) share.

#include "net/asio.h"
#include "net/transport.h"

#include "pki/identity.h"

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <string>
#include <type_traits>

namespace hostsec::net {

struct TlsContext::Impl
{
    asio::ssl::context context{asio::ssl::context::tls};
};

/// The TLS stream every TLS connection uses, server and client.
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace Internal {

template <class Stream>
inline constexpr bool isTls = std::is_same_v<Stream, TlsStream>;

/// Client side, before the handshake: the server's certificate must name `host` (an IP address
/// in its subjectAltName, or a DNS name, which also goes out as SNI).
Status expectServer(TlsStream &stream, const std::string &host);

/// After a handshake: who the peer's verified certificate stands for.
Result<pki::Identity> peerIdentity(TlsStream &stream);

/// Whether `ec` is a TLS-level failure (a refused or invalid certificate, a plain-TCP peer),
/// as opposed to a connection lost or a deadline.
bool isTlsFailure(const beast::error_code &ec);

/// A handshake or TLS read failure in words: OpenSSL's reason, and the certificate check's
/// verdict when it was about the certificate ("certificate has expired").
std::string tlsFailure(TlsStream &stream, const beast::error_code &ec);

} // namespace Internal

} // namespace hostsec::net
